package io.credpipe.issuer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import io.credpipe.issuer.delivery.AccessToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The operator's page as an operator uses it, in real headless Chromium with JavaScript off: on a
 * desktop and on a phone, by keyboard alone, and through a link that no longer works.
 *
 * <p>As the verifier's browser tests: Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}, never downloaded; skipped without them unless {@code CI} is set.
 * Screenshots go to {@code target/screenshots/} ({@code desktop-*.png} at 1280×1000,
 * {@code phone-*.png} at 390×844); {@code docs/operator-page*.png} are copies.
 */
class OperatorPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path temp;

    private static OperatorPageServer server;
    private static WebDriver desktop;
    private static WebDriver phone;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") != null) {
            fail("CI is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "no Chromium at " + CHROMIUM + " with " + CHROMEDRIVER);
        Files.createDirectories(SCREENSHOTS);
        server = new OperatorPageServer(Files.createDirectories(temp.resolve("server")));
        desktop = browser("desktop", false);
        viewport(desktop, 1280, 1000);
        phone = browser("phone", true);
    }

    @AfterAll
    static void stop() {
        for (WebDriver driver : new WebDriver[] {desktop, phone}) {
            if (driver != null) {
                driver.quit();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private static WebDriver browser(String name, boolean mobile) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(temp.resolve("profile-" + name)));
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

    @Test
    void theOperatorSeesCredentialsInWordsAndALadderOnDesktopAndPhone() throws IOException {
        String page = server.danasPage();
        for (WebDriver driver : List.of(desktop, phone)) {
            driver.get(page);
            assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Dana Ruiz: your credentials");
            List<WebElement> cards = driver.findElements(By.cssSelector("article.card"));
            assertThat(cards).extracting(card -> card.getAttribute("data-status")).containsExactly("valid", "revoked", "valid");
            assertThat(cards).extracting(card -> card.findElement(By.cssSelector(".badge")).getText())
                    .containsExactly("Valid", "Revoked", "Valid");
            assertThat(cards.get(0).findElement(By.cssSelector("dd.level")).getText()).isEqualTo("Developing");
            assertThat(cards.get(0).findElement(By.cssSelector("dd.expires")).getText()).isEqualTo("10 June 2026");
            assertThat(cards.get(0).findElement(By.linkText("Add to wallet")).getAttribute("href"))
                    .endsWith("/wallet/" + server.developing.credentialId());
            assertThat(cards.get(1).findElements(By.linkText("Add to wallet"))).isEmpty();
            assertThat(cards.get(2).findElement(By.partialLinkText("Share")).getAttribute("href"))
                    .startsWith(server.base() + "/verify?url=");

            List<WebElement> rungs = driver.findElements(By.cssSelector("section.ladder li.rung"));
            assertThat(rungs).extracting(rung -> rung.getAttribute("data-level"))
                    .containsExactly("Advanced", "Proficient", "Developing", "Emerging");
            assertThat(rungs).extracting(rung -> rung.getAttribute("data-state"))
                    .containsExactly("open", "progress", "met", "met");
            assertThat(rungs.get(1).findElement(By.cssSelector(".rung-count")).getText()).isEqualTo("7/10");
            assertThat(rungs.get(2).getText()).contains("Valid until 10 June 2026");

            String prefix = driver == desktop ? "desktop-" : "phone-";
            screenshot(driver, prefix + "operator-page");
            assertThat(rungs.get(1).findElements(By.cssSelector("ul.missing li"))).hasSize(3);
            assertThat(rungs.get(1).findElements(By.cssSelector("ul.demonstrated li"))).hasSize(7);
            // The ladder, as a link to the section shows it (no script needed).
            driver.get(page + "#progress-title");
            screenshot(driver, prefix + "operator-ladder");
        }
        // Open Proficient's statements: what is demonstrated, what is still missing. (A click in
        // Chromium's touch emulation hangs the driver, so the phone is left closed.)
        desktop.get(page);
        WebElement proficient = desktop.findElement(By.cssSelector("li.rung[data-level=Proficient]"));
        assertThat(proficient.findElement(By.cssSelector("ul.missing li")).isDisplayed()).isFalse();
        proficient.findElement(By.tagName("summary")).click();
        assertThat(proficient.findElement(By.cssSelector("ul.missing li")).isDisplayed()).isTrue();
        // On a phone nothing is wider than the screen.
        for (WebElement element : phone.findElements(By.cssSelector("article.card, section.ladder"))) {
            assertThat(element.getRect().getX() + element.getRect().getWidth()).isLessThanOrEqualTo(390);
        }
    }

    @Test
    void theKeyboardAloneReachesTheWalletAndTheStatements() {
        desktop.get(server.danasPage());
        Actions keys = new Actions(desktop);
        keys.sendKeys(Keys.TAB).perform();
        assertThat(desktop.switchTo().activeElement().getText()).isEqualTo("Skip to your credentials");
        keys.sendKeys(Keys.TAB).perform();
        assertThat(desktop.switchTo().activeElement().getText()).isEqualTo("Add to wallet");
        // Every link of the cards, then the first ladder's summaries, open with the keyboard.
        for (int i = 0; i < 40 && !desktop.switchTo().activeElement().getText().equals("Statements of Proficient"); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        WebElement summary = desktop.switchTo().activeElement();
        assertThat(summary.getTagName()).isEqualTo("summary");
        assertThat(summary.getText()).isEqualTo("Statements of Proficient");
        keys.sendKeys(Keys.ENTER).perform();
        assertThat(desktop.findElement(By.cssSelector("li.rung[data-level=Proficient] ul.missing li")).isDisplayed()).isTrue();
    }

    @Test
    void aLinkThatOpensNothingSaysWhatToDo() throws IOException {
        phone.get(server.base() + "/o/" + AccessToken.generate(new SecureRandom()));
        assertThat(phone.findElement(By.tagName("h1")).getText()).isEqualTo("This link does not open a page");
        assertThat(phone.findElement(By.tagName("main")).getText()).contains("Ask your HR contact");
        screenshot(phone, "phone-operator-not-found");
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
}
