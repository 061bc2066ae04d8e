namespace MlNetMnist.Cli;

/// <summary>A problem with what the user asked for (a path, an option value) that is not a parse error.</summary>
public sealed class UserInputException(string message) : Exception(message);
