using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>How an image folder's layout is read, and every layout mistake, on real folders of real PNG files.</summary>
public sealed class ImageFolderLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ImageFolderBuilder _set;

    public ImageFolderLayoutTests() => _set = new ImageFolderBuilder(Path.Combine(_dir.Path, "shapes"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ClassFolders_AreTheClasses_SortedOrdinally_AndTheDataSetIsNamedAfterTheFolder()
    {
        _set.Classes(5, null, "b", "B", "a", "10", "9");
        var data = _set.Load();
        Assert.Equal(["10", "9", "B", "a", "b"], data.Description.ClassNames);
        Assert.Equal("shapes", data.Description.Name);
        Assert.Equal(DataSetFormat.ImageFolder, data.Description.Format);
        Assert.Equal(new ImageShape(1, 28, 28), data.Description.Shape);
        Assert.Equal(25, data.Train.Count + data.Test.Count);
        Assert.All(data.Train.Sources!, s => Assert.True(File.Exists(s), s));
        data.Description.Validate();
    }

    [Theory]
    [InlineData("train", "test")]
    [InlineData("training", "testing")]
    [InlineData("Train", "Test")]
    public void TrainAndTestFolders_AreTheSplits(string train, string test)
    {
        _set.Classes(4, train, "cat", "dog").Classes(2, test, "cat", "dog");
        var data = _set.Load();
        Assert.Equal(["cat", "dog"], data.Description.ClassNames);
        Assert.Equal([4, 4], data.Train.CountPerClass());
        Assert.Equal([2, 2], data.Test.CountPerClass());
        Assert.All(data.Test.Sources!, s => Assert.Contains(Path.DirectorySeparatorChar + test + Path.DirectorySeparatorChar, s));
        Assert.EndsWith(test, data.Description.Test.Location);
    }

    [Fact]
    public void TestFolder_ClassesInOtherOrderOnDisk_MapToTheTrainingOrder()
    {
        _set.Classes(3, "train", "x", "y", "z");
        _set.Class("test/z", 2, 500);
        _set.Class("test/x", 1, 600);
        _set.Class("test/y", 3, 700);
        var data = _set.Load();
        Assert.Equal([1, 3, 2], data.Test.CountPerClass());
        for (int i = 0; i < data.Test.Count; i++)
            Assert.Contains(Path.DirectorySeparatorChar + data.Description.ClassNames[data.Test.Labels[i]] + Path.DirectorySeparatorChar, data.Test.Sources![i]);
    }

    [Fact]
    public void HiddenFilesAndFolders_AreIgnored_NeverClasses()
    {
        _set.Classes(3, null, "cat", "dog");
        // Hidden folders beside the classes and inside them, with images that must not be read.
        new ImageFolderBuilder(_set.Root).Class(".ipynb_checkpoints", 2);
        new ImageFolderBuilder(_set.Root).Class("__MACOSX", 2);
        new ImageFolderBuilder(_set.Root).Class(Path.Combine("cat", ".hidden"), 2);
        File.WriteAllText(_set.PathOf(".DS_Store"), "junk");
        File.WriteAllText(_set.PathOf("cat", ".DS_Store"), "junk");
        File.WriteAllText(_set.PathOf("dog", "Thumbs.db"), "junk");
        File.WriteAllText(_set.PathOf("dog", "._0000.png"), "AppleDouble junk with an image extension");
        var data = _set.Load();
        Assert.Equal(["cat", "dog"], data.Description.ClassNames);
        Assert.Equal(6, data.Train.Count + data.Test.Count);
        Assert.Empty(data.SkippedFiles);
    }

    [Fact]
    public void ImagesInNestedFolders_AndExtensionsInAnyCase_AreFound()
    {
        _set.Class("cat", 2);
        _set.Class(Path.Combine("cat", "2021", "summer"), 2, 10, ".PNG");
        _set.Class("dog", 2, 20, ".Png");
        var data = _set.Load();
        Assert.Equal(6, data.Train.Count + data.Test.Count);
        Assert.Equal(4, data.Train.CountPerClass()[0] + data.Test.CountPerClass()[0]);
    }

    [Fact]
    public void PathsWithSpacesAndNonAsciiNames_Work()
    {
        var set = new ImageFolderBuilder(Path.Combine(_dir.Path, "mes données", "été 2024"));
        set.Classes(3, null, "chat noir", "日本語", "Ünïcödé ☃");
        var data = set.Load();
        Assert.Equal(["chat noir", "Ünïcödé ☃", "日本語"], data.Description.ClassNames);
        Assert.Equal("été 2024", data.Description.Name);
        Assert.Equal(9, data.Train.Count + data.Test.Count);
    }

    [Fact]
    public void OtherFilesInClassFolders_AreIgnored_WithANotice()
    {
        _set.Classes(3, null, "cat", "dog");
        File.WriteAllText(_set.PathOf("cat", "labels.csv"), "a,b");
        var data = _set.Load();
        Assert.Contains(data.Notices, n => n.Contains("ignored 1 file") && n.Contains("labels.csv"));
    }

    [Fact]
    public void EmptyClassFolder_IsNamed()
    {
        _set.Classes(3, null, "cat", "dog");
        Directory.CreateDirectory(_set.PathOf("empty", "x"));
        File.WriteAllText(_set.PathOf("empty", ".DS_Store"), "hidden files do not count");
        _set.LoadFails(null, Path.Combine(_set.Root, "empty"), DataSetError.TooFewImages, "no images");
    }

    [Fact]
    public void OneClassOnly_IsRefused()
    {
        _set.Classes(5, null, "cat");
        _set.LoadFails(null, _set.Root, DataSetError.TooFewImages, "one class folder (cat)", "at least two");
    }

    [Fact]
    public void NoImagesAtAll_IsRefused()
    {
        Directory.CreateDirectory(_set.Root);
        File.WriteAllText(_set.PathOf("README.md"), "nothing here");
        _set.LoadFails(null, _set.Root, DataSetError.TooFewImages, "holds no images");
    }

    [Fact]
    public void ClassFoldersWithoutAnyImage_AreRefused()
    {
        Directory.CreateDirectory(_set.PathOf("cat", "x"));
        Directory.CreateDirectory(_set.PathOf("dog", "x"));
        File.WriteAllText(_set.PathOf("dog", "notes.txt"), "no image");
        _set.LoadFails(null, _set.Root, DataSetError.TooFewImages, "no images in any of its 2 folders");
    }

    [Fact]
    public void ClassFoldersMixedWithLooseImages_AreRefused()
    {
        _set.Classes(3, null, "cat", "dog");
        ImageFileWriter.Png(_set.PathOf("stray.png"), 28, 28, ImageFolderBuilder.Pattern(1));
        _set.LoadFails(null, _set.Root, DataSetError.BadLayout, "stray.png", "mixes class folders");
    }

    [Fact]
    public void LooseImagesWithoutClassFolders_AreRefused()
    {
        new ImageFolderBuilder(_set.Root).Class("", 3);
        _set.LoadFails(null, _set.Root, DataSetError.BadLayout, "no class folders");
    }

    [Fact]
    public void TrainAndTestWithDifferentClasses_AreRefused_NamingTheDifference()
    {
        _set.Classes(3, "train", "cat", "dog", "fox").Classes(2, "test", "cat", "dog", "owl");
        _set.LoadFails(null, Path.Combine(_set.Root, "test"), DataSetError.ClassMismatch, "'owl'", "'fox'");
    }

    [Fact]
    public void LooseImagesBesideTrainAndTest_AreRefused()
    {
        _set.Classes(3, "train", "cat", "dog").Classes(2, "test", "cat", "dog");
        ImageFileWriter.Png(_set.PathOf("stray.png"), 28, 28, ImageFolderBuilder.Pattern(1));
        _set.LoadFails(null, _set.Root, DataSetError.BadLayout, "stray.png");
    }

    [Fact]
    public void ThroughDataSetLoader_AFolderOfClassFolders_IsAnImageFolderDataSet()
    {
        _set.Classes(3, null, "cat", "dog");
        var data = DataSetLoader.Load(_set.Root, ImageFolderBuilder.NoCache);
        Assert.Equal(DataSetFormat.ImageFolder, data.Description.Format);
    }
}
