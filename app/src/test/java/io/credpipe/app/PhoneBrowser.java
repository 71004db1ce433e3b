package io.credpipe.app;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** A phone-sized headless Chromium (Debian's, never downloaded), and a QR reader for its screenshots. */
final class PhoneBrowser {

    private PhoneBrowser() {}

    /** The phone viewport's width in CSS pixels. */
    static final int WIDTH = 390;

    /** A 390×844 phone viewport, no JavaScript: the pages must work without it. */
    static WebDriver open(Path chromium, Path chromedriver, Path profile) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(profile));
        options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        options.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics", Map.of("width", WIDTH, "height", 844, "pixelRatio", 2.0, "touch", true),
                "userAgent", "Mozilla/5.0 (Linux; Android 14) Mobile"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(driver, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    /**
     * The text of the QR code drawn at {@code element} (CSS pixels) in a screenshot of the phone's
     * screen, read as a second phone's camera pointed at the code would frame it: the code must be
     * wholly on the first screen, and the reading sees the code, not the page's text around it
     * (zxing's finder-pattern search takes letters for finder patterns on some whole screenshots).
     */
    static String scanQrOnScreen(byte[] screenshot, org.openqa.selenium.Rectangle element) throws IOException {
        BufferedImage screen = ImageIO.read(new ByteArrayInputStream(screenshot));
        double ratio = screen.getWidth() / (double) WIDTH;
        int x = (int) Math.floor(element.getX() * ratio);
        int y = (int) Math.floor(element.getY() * ratio);
        int width = (int) Math.ceil(element.getWidth() * ratio);
        int height = (int) Math.ceil(element.getHeight() * ratio);
        if (x < 0 || y < 0 || x + width > screen.getWidth() || y + height > screen.getHeight() || width < 1 || height < 1) {
            throw new AssertionError("the QR code at " + element.getPoint() + ", " + element.getDimension()
                    + " is not wholly on the phone's first screen");
        }
        return scan(screen.getSubimage(x, y, width, height));
    }

    /** The text of the QR code in a PNG image of the code alone, read as a phone camera would. */
    static String scanQr(byte[] png) throws IOException {
        return scan(ImageIO.read(new ByteArrayInputStream(png)));
    }

    private static String scan(BufferedImage image) {
        BufferedImageLuminanceSource luminance = new BufferedImageLuminanceSource(image);
        // As phone scanners do, try the local binarizer first, then the global one, then the whole
        // image as one code: zxing's finder-pattern search misses some clean synthetic codes that
        // the other readings take.
        NotFoundException missed = null;
        for (BinaryBitmap bitmap : List.of(new BinaryBitmap(new HybridBinarizer(luminance)),
                new BinaryBitmap(new com.google.zxing.common.GlobalHistogramBinarizer(luminance)))) {
            for (Map<DecodeHintType, Object> hints : List.<Map<DecodeHintType, Object>>of(
                    Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE), Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))) {
                try {
                    return new MultiFormatReader().decode(bitmap, hints).getText();
                } catch (NotFoundException e) {
                    missed = e;
                }
            }
        }
        throw new AssertionError("no QR code in the screenshot", missed);
    }
}
