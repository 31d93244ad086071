using System.Collections;
using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// What the labels-editing cmdlets share (docs/design/labels-operations.md §1): they return an edited copy and leave their
/// input alone, unless -InPlace asks them to edit the input itself (then they emit nothing without -PassThru).
/// </summary>
public abstract class LabelsEditCmdlet : SleapCmdlet
{
    /// <summary>Edit the labels given instead of returning an edited copy.</summary>
    [Parameter]
    public SwitchParameter InPlace { get; set; }

    /// <summary>With -InPlace: also emit the labels edited.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Whether the edit may go ahead: a copy always may; editing the input asks ShouldProcess (-WhatIf, -Confirm).</summary>
    protected bool MayEdit(Labels labels, string action) => !InPlace || ShouldProcess(Describe(labels), action);

    /// <summary>Emits the result: the copy, or with -InPlace the input when -PassThru is given.</summary>
    protected void Emit(Labels result)
    {
        if (!InPlace || PassThru) WriteObject(result);
    }

    protected static string Describe(Labels labels) => labels.SourcePath ?? labels.ToString();

    /// <summary>A hashtable of names to names (old to new), its keys and values as text.</summary>
    protected Dictionary<string, string> NameMap(IDictionary map, string what)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            string? from = Unwrapped(entry.Key)?.ToString(), to = Unwrapped(entry.Value)?.ToString();
            if (string.IsNullOrEmpty(from))
                Fail(new SleapException(SleapErrorKind.InvalidArgument, $"The {what} map has an empty key. Map each old name to a new one."), "InvalidMap");
            names[from] = to ?? "";
        }
        return names;
    }
}
