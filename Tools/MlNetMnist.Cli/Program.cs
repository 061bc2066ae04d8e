using MlNetMnist.Cli;

return await MnistApp.RunAsync(args);
