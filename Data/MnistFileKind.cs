namespace MlNetMnist.Data;

/// <summary>The four files of the MNIST distribution.</summary>
public enum MnistFileKind
{
    /// <summary>60,000 training images.</summary>
    TrainImages,
    /// <summary>60,000 training labels.</summary>
    TrainLabels,
    /// <summary>10,000 test images.</summary>
    TestImages,
    /// <summary>10,000 test labels.</summary>
    TestLabels,
}
