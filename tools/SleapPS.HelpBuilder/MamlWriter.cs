using System.Text;
using System.Xml;

namespace SleapPS.HelpBuilder;

/// <summary>
/// Writes commands' help as MAML, the XML that Get-Help reads for binary cmdlets
/// (&lt;Module&gt;/&lt;culture&gt;/&lt;Assembly&gt;.dll-Help.xml), in the layout platyPS produces.
/// </summary>
public static class MamlWriter
{
    public const string HelpItemsNamespace = "http://msh";
    public const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";
    public const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MSHelpNamespace = "http://msdn.microsoft.com/mshelp";

    /// <summary>Writes all commands into one file; a temporary file is moved into place, so a failed run leaves the old file whole.</summary>
    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + ".tmp");
        try
        {
            var settings = new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
            };
            using (var xml = XmlWriter.Create(temporary, settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("helpItems", HelpItemsNamespace);
                xml.WriteAttributeString("schema", "maml");
                foreach (var command in commands) WriteCommand(xml, command);
                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp command)
    {
        xml.WriteStartElement("command", "command", CommandNamespace);
        xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
        xml.WriteAttributeString("xmlns", "command", null, CommandNamespace);
        xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MSHelpNamespace);

        xml.WriteStartElement("details", CommandNamespace);
        xml.WriteElementString("name", CommandNamespace, command.Name);
        xml.WriteElementString("verb", CommandNamespace, command.Verb);
        xml.WriteElementString("noun", CommandNamespace, command.Noun);
        WriteDescription(xml, [command.Synopsis]);
        xml.WriteEndElement();

        WriteDescription(xml, command.Description);

        xml.WriteStartElement("syntax", CommandNamespace);
        foreach (var set in command.ParameterSets.OrderByDescending(s => s.IsDefault))
        {
            xml.WriteStartElement("syntaxItem", CommandNamespace);
            xml.WriteElementString("name", MamlNamespace, command.Name);
            foreach (var parameter in InSyntaxOrder(command.Parameters.Where(p => p.IsIn(set))))
                WriteParameter(xml, parameter, inSyntax: true);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("parameters", CommandNamespace);
        foreach (var parameter in command.Parameters) WriteParameter(xml, parameter, inSyntax: false);
        xml.WriteEndElement();

        WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
        WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

        xml.WriteStartElement("alertSet", MamlNamespace);
        xml.WriteStartElement("alert", MamlNamespace);
        WriteParagraphs(xml, command.Notes);
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("examples", CommandNamespace);
        foreach (var example in command.Examples)
        {
            xml.WriteStartElement("example", CommandNamespace);
            // Dashes around the title, as in PowerShell's own help, set the examples apart in Get-Help's output.
            xml.WriteElementString("title", MamlNamespace, $"-------------------------- {example.Title} --------------------------");
            xml.WriteElementString("code", DevNamespace, example.Code);
            xml.WriteStartElement("remarks", DevNamespace);
            WriteParagraphs(xml, example.Remarks);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("relatedLinks", CommandNamespace);
        foreach (var link in command.RelatedLinks)
        {
            xml.WriteStartElement("navigationLink", MamlNamespace);
            xml.WriteElementString("linkText", MamlNamespace, link.Text);
            xml.WriteElementString("uri", MamlNamespace, link.Uri);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    /// <summary>Positional parameters first, by position, then the named ones as the help file lists them (as PowerShell orders its own syntax).</summary>
    private static IEnumerable<ParameterHelp> InSyntaxOrder(IEnumerable<ParameterHelp> parameters) =>
        parameters.OrderBy(p => p.Position == "named" ? int.MaxValue : int.Parse(p.Position));

    private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, bool inSyntax)
    {
        var isArray = parameter.Type.EndsWith("[]");
        xml.WriteStartElement("parameter", CommandNamespace);
        xml.WriteAttributeString("required", Lower(parameter.Required));
        xml.WriteAttributeString("variableLength", Lower(isArray));
        xml.WriteAttributeString("globbing", Lower(parameter.Globbing));
        xml.WriteAttributeString("pipelineInput", parameter.PipelineInput);
        xml.WriteAttributeString("position", parameter.Position);
        xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        xml.WriteElementString("name", MamlNamespace, parameter.Name);
        WriteDescription(xml, parameter.Description);
        if (parameter.AcceptedValues.Count > 0)
        {
            // Get-Help shows these as {Cpu | Cuda | Auto} in the syntax.
            xml.WriteStartElement("parameterValueGroup", CommandNamespace);
            foreach (var value in parameter.AcceptedValues)
            {
                xml.WriteStartElement("parameterValue", CommandNamespace);
                xml.WriteAttributeString("required", "false");
                xml.WriteAttributeString("command", "variableLength", CommandNamespace, "false");
                xml.WriteString(value);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        // A switch takes no value: the syntax shows [-Name], the parameter list -Name [<SwitchParameter>].
        if (!(parameter.IsSwitch && inSyntax))
        {
            xml.WriteStartElement("parameterValue", CommandNamespace);
            xml.WriteAttributeString("required", Lower(!parameter.IsSwitch));
            xml.WriteAttributeString("variableLength", Lower(isArray));
            xml.WriteString(parameter.Type);
            xml.WriteEndElement();
        }
        WriteType(xml, parameter.Type);
        xml.WriteElementString("defaultValue", DevNamespace, parameter.DefaultValue);
        xml.WriteEndElement();
    }

    private static void WriteTypes(XmlWriter xml, string listElement, string itemElement, IReadOnlyList<TypeHelp> types)
    {
        xml.WriteStartElement(listElement, CommandNamespace);
        foreach (var type in types)
        {
            xml.WriteStartElement(itemElement, CommandNamespace);
            WriteType(xml, type.Type);
            WriteDescription(xml, type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteType(XmlWriter xml, string name)
    {
        xml.WriteStartElement("type", DevNamespace);
        xml.WriteElementString("name", MamlNamespace, name);
        xml.WriteElementString("uri", MamlNamespace, "");
        xml.WriteEndElement();
    }

    private static void WriteDescription(XmlWriter xml, IEnumerable<string> paragraphs)
    {
        xml.WriteStartElement("description", MamlNamespace);
        WriteParagraphs(xml, paragraphs);
        xml.WriteEndElement();
    }

    private static void WriteParagraphs(XmlWriter xml, IEnumerable<string> paragraphs)
    {
        foreach (var paragraph in paragraphs) xml.WriteElementString("para", MamlNamespace, paragraph);
    }

    private static string Lower(bool value) => value ? "true" : "false";
}
