package io.credpipe.verifier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.credpipe.verifier.http.LocalIssuer.Case;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The verification page as an employer uses it, in real headless Chromium: a link, pasted text, an
 * uploaded file, the keyboard alone, and a phone. The browser runs with JavaScript turned off, which
 * the page must not need.
 *
 * <p>Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} are named explicitly, so
 * Selenium Manager never downloads a browser or a driver. Without them the tests are skipped —
 * unless the environment variable {@code CI} is set, where a missing browser is a failure.
 * Screenshots go to {@code target/screenshots/} ({@code desktop-*.png} at 1280×900,
 * {@code phone-*.png} at 390×844).
 */
class VerifyPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static LocalIssuer issuer;
    private static VerifyService service;
    private static WebDriver desktop;
    private static WebDriver phone;
    @TempDir
    static Path profiles;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") != null) {
            fail("CI is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "no Chromium at " + CHROMIUM + " with " + CHROMEDRIVER);
        Files.createDirectories(SCREENSHOTS);
        issuer = new LocalIssuer();
        service = new VerifyService();
        desktop = browser("desktop", false);
        viewport(desktop, 1280, 900);
        phone = browser("phone", true);
    }

    @AfterAll
    static void stop() {
        for (WebDriver driver : new WebDriver[] {desktop, phone}) {
            if (driver != null) {
                driver.quit();
            }
        }
        if (service != null) {
            service.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private static WebDriver browser(String name, boolean mobile) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(profiles.resolve(name)));
        // The page must work without JavaScript: the browser runs none.
        options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        if (mobile) {
            options.setExperimentalOption("mobileEmulation", Map.of(
                    "deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 2.0, "touch", true),
                    "userAgent", "Mozilla/5.0 (Linux; Android 14) Mobile"));
        }
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(driver, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "VALID              | verified    | Verified           | ",
        "REVOKED            | revoked     | Revoked            | The issuer has revoked this credential",
        "SUSPENDED          | suspended   | Suspended          | The issuer has suspended this credential",
        "EXPIRED            | expired     | Expired            | The credential expired on",
        "TAMPERED           | tampered    | Tampered or forged | has been altered since it was issued",
        "WRONG_KEY          | tampered    | Tampered or forged | not signed with any of the keys the issuer publishes",
        "STATUS_UNREACHABLE | cannot-tell | Cannot tell        | status list could not be downloaded",
        "STATUS_TAMPERED    | cannot-tell | Cannot tell        | status list is not validly signed",
    })
    void aLinkShowsTheVerdictAndWhy(Case c, String headline, String title, String reason) throws IOException {
        String page = service.base() + "/verify?url=" + URLEncoder.encode(issuer.url(c), StandardCharsets.UTF_8);
        for (WebDriver driver : List.of(desktop, phone)) {
            driver.get(page);
            WebElement card = driver.findElement(By.cssSelector("section.card"));
            assertThat(card.getAttribute("data-headline")).isEqualTo(headline);
            assertThat(card.findElement(By.tagName("h1")).getText()).isEqualTo(title);
            // A symbol besides the word, and the facts about who and what.
            assertThat(card.findElements(By.cssSelector("svg.symbol"))).hasSize(1);
            List<WebElement> reasons = card.findElements(By.cssSelector("ul.reasons li"));
            if (reason == null) {
                assertThat(reasons).isEmpty();
            } else {
                assertThat(reasons).hasSize(1);
                assertThat(reasons.get(0).getText()).contains(reason);
            }
            if (c != Case.TAMPERED && c != Case.WRONG_KEY) {
                assertThat(card.findElement(By.cssSelector("dd.holder")).getText()).isEqualTo("Dana Ruiz");
                assertThat(card.findElement(By.cssSelector("dd.level")).getText()).isEqualTo("Proficient");
                assertThat(card.getText()).contains("Chemical Plant and System Operators v.26.05")
                        .contains("Example Plant Training Center").contains("Statements covered (3)")
                        .contains("Non-routine process deviations");
            } else {
                // A forged credential's claims are not shown as facts.
                assertThat(card.findElements(By.cssSelector("dd.holder"))).isEmpty();
            }
            screenshot(driver, (driver == desktop ? "desktop-" : "phone-") + c.id());
        }
        // On a phone nothing is wider than the screen.
        long cardRight = phone.findElement(By.cssSelector("section.card")).getRect().getX()
                + phone.findElement(By.cssSelector("section.card")).getRect().getWidth();
        assertThat(cardRight).isLessThanOrEqualTo(390);
    }

    @Test
    void pastedTextIsVerified() throws IOException {
        desktop.get(service.base() + "/verify");
        assertThat(desktop.findElement(By.tagName("h1")).getText()).isEqualTo("Verify a credential");
        screenshot(desktop, "desktop-form");
        desktop.findElement(By.id("credential")).sendKeys(issuer.jws(Case.SUSPENDED));
        desktop.findElement(By.cssSelector("form[method=post] button")).click();
        assertThat(cardAfterPost(desktop).getAttribute("data-headline")).isEqualTo("suspended");
    }

    @Test
    void anUploadedFileIsVerified(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("dana-ruiz.jwt"), issuer.jws(Case.VALID) + "\n");
        desktop.get(service.base() + "/verify");
        desktop.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        desktop.findElement(By.cssSelector("form[method=post] button")).click();
        WebElement card = cardAfterPost(desktop);
        assertThat(card.getAttribute("data-headline")).isEqualTo("verified");
        assertThat(card.findElement(By.cssSelector("details")).getAttribute("textContent")).contains("the file dana-ruiz.jwt");
    }

    @Test
    void theKeyboardAloneReachesTheLinkFieldAndChecksIt() throws IOException {
        desktop.get(service.base() + "/verify");
        Actions keys = new Actions(desktop);
        keys.sendKeys(Keys.TAB).perform();
        assertThat(desktop.switchTo().activeElement().getText()).isEqualTo("Skip to content");
        keys.sendKeys(Keys.TAB).perform();
        assertThat(desktop.switchTo().activeElement().getAttribute("id")).isEqualTo("url");
        keys.sendKeys(issuer.url(Case.EXPIRED)).sendKeys(Keys.ENTER).perform();
        assertThat(cardAfterPost(desktop).findElement(By.tagName("h1")).getText()).isEqualTo("Expired");
    }

    @Test
    void aUrlThatIsNotOneSaysSo() {
        desktop.get(service.base() + "/verify?url=" + URLEncoder.encode("ftp://example.com/x", StandardCharsets.UTF_8));
        assertThat(desktop.findElement(By.tagName("h1")).getText()).isEqualTo("Cannot read the credential");
        assertThat(desktop.findElement(By.cssSelector(".lead")).getText()).contains("not an http(s) URL");
    }

    /** Sizes the window so that its viewport, what a screenshot shows, is {@code width}×{@code height}. */
    private static void viewport(WebDriver driver, int width, int height) throws IOException {
        driver.manage().window().setSize(new Dimension(width, height));
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES)));
        driver.manage().window().setSize(new Dimension(2 * width - shot.getWidth(), 2 * height - shot.getHeight()));
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The result card of the page a form submission led to. The click returns before the new page is
     * parsed on a loaded machine, so the card is looked for until it is there (at most 10 s).
     */
    private static WebElement cardAfterPost(WebDriver driver) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<WebElement> cards = driver.findElements(By.cssSelector("section.card"));
            if (!cards.isEmpty() || System.nanoTime() > deadline) {
                return driver.findElement(By.cssSelector("section.card"));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
