package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium, driven through Debian's chromedriver, for tests of the appliance's
 * web pages. Each instance has its own profile folder and its own processes; {@link #close()} ends
 * them all, also when the browser no longer answers.
 *
 * <p>Both paths are given to Selenium explicitly: Selenium Manager runs only when it has to find a
 * driver, and it would then try to download one, which fails (or waits) on a machine that reaches
 * no network but the package registries.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** For waits on what a page does: long, because a busy 2-core machine can stall for seconds. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    // Starting the driver and loading pages are slowest of all on a loaded machine; a limit only
    // keeps a wedged browser from holding the build until Surefire's fork timeout.
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration PAGE_LOAD = Duration.ofSeconds(60);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    // Browsers a test forgot to close are closed when the test JVM exits, so that no chromium
    // outlives the build.
    private static final Set<Browser> OPEN = new LinkedHashSet<>();

    // Selenium looks for a DevTools binding of Chromium's exact version, which this project does
    // not ship (it would pin the suite to one Chromium release), and warns on every start; the
    // harness needs none, as it sends its few DevTools commands through chromedriver. Held in a
    // field because java.util.logging keeps loggers only weakly, and the level with them.
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            List<Browser> left;
                            synchronized (OPEN) {
                                left = new ArrayList<>(OPEN);
                            }
                            left.forEach(Browser::close);
                        },
                        "close-browsers"));
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final ProcessHandle chromedriver;
    private final List<String> errors = new ArrayList<>();
    private boolean closed;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, ProcessHandle chromedriver) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.chromedriver = chromedriver;
    }

    /**
     * Starts a headless Chromium whose viewport is {@code width} x {@code height} CSS pixels, at
     * one device pixel per CSS pixel. Skips the calling test when Chromium or its driver is not
     * installed, unless CI=true: there the suite must not pass by skipping.
     */
    public static Browser open(int width, int height) {
        requireInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("jambox-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                // Chromium's sandbox refuses to run as root, and CI runs as root.
                "--no-sandbox",
                "--disable-gpu",
                // /dev/shm is small in containers; a full one crashes the renderer.
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1",
                "--hide-scrollbars",
                // Nothing outside this machine can be reached: no update checks, sync or first-run pages.
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(START)
                // Chromium's crash handlers detach from it and would write to ~/.config/chromium;
                // with their folder in the profile they are found and ended with the browser.
                .withEnvironment(Map.of("BREAKPAD_DUMP_LOCATION", profile.resolve("crashes").toString()))
                .build();
        ChromeDriver driver = null;
        ProcessHandle chromedriver = null;
        // Finding our chromedriver among the JVM's children by what is new works only when no other
        // thread starts one at the same time.
        synchronized (OPEN) {
            Set<ProcessHandle> before = chromedrivers();
            try {
                service.start();
                chromedriver = chromedrivers().stream().filter(p -> !before.contains(p)).findFirst().orElse(null);
                driver = new ChromeDriver(service, options);
                Browser browser = new Browser(service, driver, profile, chromedriver);
                browser.fitViewport(width, height);
                driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
                driver.manage().timeouts().scriptTimeout(PAGE_LOAD);
                OPEN.add(browser);
                return browser;
            } catch (IOException e) {
                new Browser(service, driver, profile, chromedriver).close();
                throw new UncheckedIOException("chromedriver did not start", e);
            } catch (RuntimeException | Error e) {
                new Browser(service, driver, profile, chromedriver).close();
                throw e;
            }
        }
    }

    private static void requireInstalled() {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                String why = p + " is missing: browser tests need Debian's chromium and chromium-driver"
                        + " (./jambox test installs them as root: apt-get install chromium chromium-driver)";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why + "; CI=true, so this fails instead of skipping");
                }
                Assumptions.abort(why);
            }
        }
    }

    private static Set<ProcessHandle> chromedrivers() {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("chromedriver")).orElse(false))
                .forEach(found::add);
        return found;
    }

    /**
     * A headless window's viewport is not always its --window-size (Chromium keeps windows at
     * least about 500 px wide, and takes its frame off the height), so the page is told its size
     * directly, as DevTools' device mode does.
     */
    private void fitViewport(int width, int height) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Gives the page a viewport of {@code width} x {@code height} CSS pixels, as on opening. */
    public Browser resize(int width, int height) {
        fitViewport(width, height);
        return this;
    }

    /** Loads a page and waits for its load event. */
    public Browser get(String url) {
        driver.get(url);
        return this;
    }

    public Browser get(URI url) {
        return get(url.toString());
    }

    public WebDriver driver() {
        return driver;
    }

    /** Runs a script in the page; a script's {@code return} value comes back as Selenium maps it. */
    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Every console.error and every uncaught exception or unhandled rejection of the pages this
     * browser has shown so far, oldest first, as Chromium logged them (it also logs failed
     * resource loads here, a missing favicon.ico among them).
     *
     * <p>Chromium hands each log entry out once, so they are kept here and the whole list is
     * returned on each call. An error that a page raises later than this call shows only in a later
     * call: wait for what the page does first.
     */
    public synchronized List<String> consoleErrors() {
        if (!closed) {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(e.getMessage());
                }
            }
        }
        return List.copyOf(errors);
    }

    /** Saves what the viewport shows as a PNG as wide and high as the viewport. */
    public Path screenshot(Path file) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Waits up to {@link #WAIT} until {@code condition} gives something other than null or false,
     * and returns that; a TimeoutException names {@code what} when it does not.
     */
    public <T> T waitFor(String what, Function<? super WebDriver, T> condition) {
        return waitFor(what, WAIT, condition);
    }

    public <T> T waitFor(String what, Duration timeout, Function<? super WebDriver, T> condition) {
        // A re-render between finding an element and reading it is not an answer, only a reason to look again.
        return new WebDriverWait(driver, timeout).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    /** Ends the browser and its driver, however they are, and deletes the profile. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        synchronized (OPEN) {
            OPEN.remove(this);
        }
        // Taken before quitting: once chromedriver is gone, chromium's processes are no longer its
        // descendants and could not be found from here.
        List<ProcessHandle> processes = new ArrayList<>();
        if (chromedriver != null) {
            processes.add(chromedriver);
            chromedriver.descendants().forEach(processes::add);
        }
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(profile.toString())).orElse(false))
                .filter(p -> !processes.contains(p))
                .forEach(processes::add);
        try {
            if (driver != null) {
                driver.quit();
            }
        } catch (RuntimeException e) {
            // A browser that does not answer is killed below.
        }
        try {
            service.stop();
        } catch (RuntimeException e) {
            // Likewise.
        }
        kill(processes);
        deleteTree(profile);
    }

    private static void kill(List<ProcessHandle> processes) {
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // A profile left in the temp folder harms nothing.
        }
    }

    /** The processes of this browser that still run: none after {@link #close()}. */
    List<ProcessHandle> liveProcesses() {
        List<ProcessHandle> live = new ArrayList<>();
        Optional.ofNullable(chromedriver).filter(ProcessHandle::isAlive).ifPresent(live::add);
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(profile.toString())).orElse(false))
                .forEach(live::add);
        return live;
    }
}
