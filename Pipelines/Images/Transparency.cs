namespace MlNetMnist.Pipelines.Images;

/// <summary>How <see cref="DigitImageLoader"/> sees the transparent pixels of an image.</summary>
public enum Transparency
{
    /// <summary>Over black, as ML.NET's image decoder shows them (premultiplied color): black ink on a transparent background vanishes.</summary>
    OverBlack,
    /// <summary>Composited onto white, as the image looks on paper or a web page: what a drawing app's transparent canvas means.</summary>
    OntoWhite,
}
