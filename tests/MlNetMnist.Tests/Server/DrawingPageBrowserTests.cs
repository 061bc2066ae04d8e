using MlNetMnist.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace MlNetMnist.Tests.Server;

/// <summary>
/// The drawing page in a real headless Chromium (Debian's <c>chromium</c> and <c>chromium-driver</c>,
/// which .ci/run installs): a digit drawn with pointer events, a mouse's and then a finger's, is
/// predicted, and the page shows the label, the bars and the model's input. Fails, never skips, when
/// the browser cannot start.
/// </summary>
public sealed class DrawingPageBrowserTests(ITestOutputHelper output)
{
    private const string Browser = "/usr/bin/chromium";
    private const string DriverFolder = "/usr/bin";

    /// <summary>Where the screenshot for the README is written: <c>$MLNETMNIST_SCREENSHOT</c>, else the temporary folder.</summary>
    private static string ScreenshotPath => Environment.GetEnvironmentVariable("MLNETMNIST_SCREENSHOT") is { Length: > 0 } path
        ? path : Path.Combine(Path.GetTempPath(), "mlnetmnist-tests", "serve-page.png");

    [Fact]
    public async Task DrawingASevenWithTheMouseAndAOneWithAFingerShowsThem()
    {
        Assert.True(File.Exists(Browser), $"{Browser} is missing: apt-get install chromium chromium-driver (.ci/run does)");
        await using var server = await RunningServer.StartAsync();
        using var driver = StartBrowser();
        driver.Navigate().GoToUrl(server.Server.Address);
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60));
        wait.Until(d => d.FindElement(By.TagName("body")).GetDomAttribute("data-ready") == "true");
        Assert.Contains("model.zip · MNIST · 10 classes", driver.FindElement(By.Id("model")).Text);
        var pad = driver.FindElement(By.Id("pad"));

        // A 7 in one stroke with the mouse: the bar from left to right, then down to the lower left.
        Draw(driver, pad, PointerKind.Mouse, [(-0.30, -0.32), (0.28, -0.32), (0.02, 0.36)]);
        WaitForPrediction(wait, 1);
        Assert.Equal("7", driver.FindElement(By.Id("label")).Text);
        var bars = driver.FindElements(By.CssSelector("#bars .bar"));
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), bars.Select(b => b.FindElement(By.ClassName("name")).Text));
        var winner = Assert.Single(driver.FindElements(By.CssSelector("#bars .bar.winner")));
        Assert.Equal("7", winner.FindElement(By.ClassName("name")).Text);
        var percent = winner.FindElement(By.ClassName("value")).Text;
        Assert.True(Percent(percent) > 50, percent);
        // The bar is as long as its figure says (the browser writes "100.0%" back as "100%").
        var width = Assert.IsType<string>(((IJavaScriptExecutor)driver).ExecuteScript("return document.querySelector('#bars .bar.winner .fill').style.width"));
        Assert.Equal(Percent(percent), Percent(width), 3);
        Assert.True(InkSeen(driver) > 10_000, "the model's 28×28 input is shown");
        var screenshot = ScreenshotPath;
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(screenshot);
        output.WriteLine($"screenshot: {screenshot}");

        // Clear, then a 1 with a finger (touch pointer events).
        driver.FindElement(By.Id("clear")).Click();
        Assert.Equal("–", driver.FindElement(By.Id("label")).Text);
        Assert.Empty(driver.FindElements(By.CssSelector("#bars .bar.winner")));
        Draw(driver, pad, PointerKind.Touch, [(0.02, -0.38), (-0.02, 0.38)]);
        WaitForPrediction(wait, 2);
        Assert.Equal("1", driver.FindElement(By.Id("label")).Text);
    }

    private static double Percent(string text) => double.Parse(text.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);

    private static ChromeDriver StartBrowser()
    {
        var service = ChromeDriverService.CreateDefaultService(DriverFolder, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=820,700", "--hide-scrollbars");
        return new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    /// <summary>One stroke through <paramref name="points"/> (fractions of the pad's size from its center), in small steps, as a hand moves.</summary>
    private static void Draw(IWebDriver driver, IWebElement pad, PointerKind kind, (double X, double Y)[] points)
    {
        var pointer = new PointerInputDevice(kind, kind.ToString().ToLowerInvariant());
        var size = pad.Size;
        var actions = new ActionBuilder();
        int X(double fraction) => (int)Math.Round(fraction * size.Width);
        int Y(double fraction) => (int)Math.Round(fraction * size.Height);
        actions.AddAction(pointer.CreatePointerMove(pad, X(points[0].X), Y(points[0].Y), TimeSpan.Zero));
        actions.AddAction(pointer.CreatePointerDown(MouseButton.Left));
        for (int segment = 1; segment < points.Length; segment++)
        {
            var (from, to) = (points[segment - 1], points[segment]);
            for (int step = 1; step <= 12; step++)
            {
                double t = step / 12.0;
                actions.AddAction(pointer.CreatePointerMove(pad, X(from.X + (to.X - from.X) * t), Y(from.Y + (to.Y - from.Y) * t), TimeSpan.FromMilliseconds(15)));
            }
        }
        actions.AddAction(pointer.CreatePointerUp(MouseButton.Left));
        ((IActionExecutor)driver).PerformActions(actions.ToActionSequenceList());
    }

    private static void WaitForPrediction(WebDriverWait wait, int count)
        => wait.Until(d => d.FindElement(By.TagName("body")).GetDomAttribute("data-predictions") == count.ToString());

    /// <summary>The sum of the pixels the page shows as the model's input.</summary>
    private static long InkSeen(IWebDriver driver)
        => Convert.ToInt64(((IJavaScriptExecutor)driver).ExecuteScript(
            "const d = document.getElementById('input').getContext('2d').getImageData(0, 0, 28, 28).data; let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s;"));
}
