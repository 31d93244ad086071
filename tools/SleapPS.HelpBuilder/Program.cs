using SleapPS.HelpBuilder;

// dotnet SleapPS.HelpBuilder.dll <folder of Verb-Noun.md help files> <output .dll-Help.xml>
// Every file is checked; each fault is printed as "file(line): error SLEAPHELP: ..." (MSBuild shows
// these as build errors) and nothing is written unless all files are sound.
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: SleapPS.HelpBuilder <docs folder> <output help .xml>");
    return 2;
}
var (docsFolder, outputPath) = (args[0], args[1]);
if (!Directory.Exists(docsFolder))
{
    Console.Error.WriteLine($"error SLEAPHELP: The help folder '{Path.GetFullPath(docsFolder)}' does not exist.");
    return 2;
}
var files = Directory.GetFiles(docsFolder, "*.md").Order(StringComparer.Ordinal).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"error SLEAPHELP: '{Path.GetFullPath(docsFolder)}' holds no .md help files.");
    return 1;
}

var helpFileName = Path.GetFileName(outputPath);
var commands = new List<CommandHelp>();
var failures = 0;
foreach (var file in files)
{
    try
    {
        commands.Add(CommandHelpParser.Parse(MarkdownOutline.Read(file), helpFileName));
    }
    catch (HelpFormatException ex)
    {
        Console.Error.WriteLine(ex.ToBuildError());
        failures++;
    }
}
if (failures > 0) return 1;

MamlWriter.Write(commands, outputPath);
Console.WriteLine($"SleapPS.HelpBuilder: help for {commands.Count} commands -> {outputPath}");
return 0;
