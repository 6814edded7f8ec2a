using AcousticCore.Cli;

Console.OutputEncoding = System.Text.Encoding.UTF8;
return AcousticCli.Run(args, new CliContext(Console.Out, Console.Error, Console.OpenStandardInput, !Console.IsErrorRedirected));
