namespace SleapPS.HelpBuilder;

/// <summary>Everything one cmdlet's help file says, in the shape MAML needs.</summary>
public sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterSetHelp> ParameterSets,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<RelatedLink> RelatedLinks)
{
    public string Verb => Name[..Name.IndexOf('-')];
    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>A parameter set named under ## SYNTAX; a cmdlet with one set has a single unnamed one.</summary>
public sealed record ParameterSetHelp(string Name, bool IsDefault)
{
    /// <summary>PowerShell's name for the set of a cmdlet that declares none.</summary>
    public const string AllSets = "__AllParameterSets";
}

public sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Type,
    IReadOnlyList<string> ParameterSets, // empty: every set ("(All)")
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position, // "named" or a number
    string DefaultValue,
    string PipelineInput, // "False" or "True (ByValue, ...)"
    bool Globbing,
    int Line) // of its yaml block, for errors about it
{
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool IsIn(ParameterSetHelp set) => ParameterSets.Count == 0 || ParameterSets.Contains(set.Name);
}

/// <summary>An input or output type and what it means.</summary>
public sealed record TypeHelp(string Type, IReadOnlyList<string> Description);

public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A related link; Uri is empty for links to other help files (Get-Help shows their text).</summary>
public sealed record RelatedLink(string Text, string Uri);
