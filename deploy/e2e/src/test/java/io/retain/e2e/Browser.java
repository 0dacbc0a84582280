package io.retain.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, cut off from every network but
 * loopback: a page that needs a CDN fails here as it would offline. Screenshots go to {@code
 * target/cockpit-screenshots/}.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = RunningSuite.ROOT.resolve("deploy/e2e/target/cockpit-screenshots");

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  /** Skips the calling test class (the only allowed skip) when there is no browser. */
  static void assumeInstalled() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String message =
        "no browser: /usr/bin/chromium and /usr/bin/chromedriver are needed for the cockpit's"
            + " browser tests; install them with `apt-get install chromium chromium-driver`";
    // .ci/run installs them and sets this: there a missing browser is a failure, not a skip
    if (!installed && System.getenv("RETAIN_REQUIRE_BROWSER") != null) {
      throw new IllegalStateException(message);
    }
    Assumptions.assumeTrue(installed, message);
  }

  Browser() throws IOException {
    profile = Files.createTempDirectory("cockpit-chromium-");
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1100",
        "--lang=en-US",
        "--user-data-dir=" + profile,
        // no network but loopback: every other host goes to a closed proxy port and resolves
        // to nothing (loopback always bypasses the proxy)
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    // the console is read after each test: a Content-Security-Policy violation fails it
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * Waits up to 60 s (a busy machine); on a timeout the page's screenshot and text say what it
   * showed instead.
   */
  <T> T until(Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
          .until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      String shot;
      try {
        shot = screenshot("timeout-" + System.currentTimeMillis()).toString();
      } catch (IOException | RuntimeException io) {
        shot = "no screenshot: " + io;
      }
      throw new AssertionError(
          "timed out at "
              + driver.getCurrentUrl()
              + " ("
              + shot
              + "); the page showed:\n"
              + driver.findElement(org.openqa.selenium.By.tagName("body")).getText(),
          e);
    }
  }

  /** The element once it is present and its text contains {@code text}. */
  WebElement untilText(By by, String text) {
    return until(
        d -> {
          List<WebElement> found = d.findElements(by);
          return found.isEmpty() || !found.get(0).getText().contains(text) ? null : found.get(0);
        });
  }

  WebElement untilPresent(By by) {
    return until(
        d -> {
          List<WebElement> found = d.findElements(by);
          return found.isEmpty() ? null : found.get(0);
        });
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  Path screenshot(String name) throws IOException {
    Path target = SHOTS.resolve(name + ".png");
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        target,
        StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
