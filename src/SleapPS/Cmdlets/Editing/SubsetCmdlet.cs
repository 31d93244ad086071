using System.Management.Automation;
using SleapPS.Engine.Data;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// The Select-/Remove- pairs over frames, instances and tracks (docs/design/labels-operations.md §4): the items are chosen by
/// a script block run on each ($_ is the item), or are the objects piped in (what Where-Object passes), looked up in
/// -Labels by reference. Select keeps the items chosen, Remove keeps the others.
/// </summary>
public abstract class SubsetCmdlet<TItem> : LabelsEditCmdlet where TItem : class
{
    protected const string ScriptSet = "FilterScript";
    protected const string ObjectSet = "InputObject";

    private readonly HashSet<TItem> _chosen = new(ReferenceEqualityComparer.Instance);
    private Labels? _labels;

    /// <summary>The labels to take the items from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptSet, ValueFromPipeline = true)]
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
    public Labels Labels { get; set; } = null!;

    /// <summary>Chooses items: run on each with $_ set to it; true chooses it.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptSet)]
    public ScriptBlock FilterScript { get; set; } = null!;

    /// <summary>The items chosen, from the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    public TItem[] InputObject { get; set; } = [];

    /// <summary>True for Select (keep what is chosen), false for Remove (keep the rest).</summary>
    protected abstract bool KeepsChosen { get; }

    /// <summary>The items' name, plural ("frames"), for the ShouldProcess action.</summary>
    protected abstract string ItemsName { get; }

    /// <summary>The labels with the items <paramref name="keep"/> accepts (a copy, or the input with -InPlace); says in verbose what went.</summary>
    protected abstract Labels Kept(Labels labels, Func<TItem, bool> keep);

    /// <summary>Stops the command before anything is edited when -FilterScript cannot choose well in these labels.</summary>
    protected virtual void CheckFilterScript(Labels labels) { }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ScriptSet)
        {
            CheckFilterScript(Labels);
            Apply(Labels, item => Chooses(item) == KeepsChosen);
            return;
        }
        _labels = Labels;
        foreach (var item in InputObject)
            if (item is not null) _chosen.Add(item);
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != ObjectSet || _labels is null) return;
        WarnAboutStrangers(this, _chosen, ItemsOf(_labels), typeof(TItem).Name);
        Apply(_labels, item => _chosen.Contains(item) == KeepsChosen);
    }

    private void Apply(Labels labels, Func<TItem, bool> keep)
    {
        if (!MayEdit(labels, KeepsChosen ? $"Keep only the {ItemsName} chosen" : $"Remove the {ItemsName} chosen")) return;
        Emit(Kept(labels, keep));
    }

    /// <summary>The items of the labels of this cmdlet's kind, to check that the objects piped in are theirs.</summary>
    protected abstract IEnumerable<TItem> ItemsOf(Labels labels);

    /// <summary>Objects piped in that are not in -Labels (from another Labels object, or a copy) choose nothing: say so.</summary>
    internal static void WarnAboutStrangers<T>(Cmdlet cmdlet, HashSet<T> chosen, IEnumerable<T> items, string kind) where T : class
    {
        var strangers = new HashSet<T>(chosen, ReferenceEqualityComparer.Instance);
        strangers.ExceptWith(items);
        if (strangers.Count > 0)
            cmdlet.WriteWarning($"{strangers.Count} of the {chosen.Count} {kind} objects piped in are not in -Labels (they come from other labels, or a copy): they choose nothing.");
    }

    /// <summary>Runs -FilterScript on an item, with $_ set to it, and reads its result as PowerShell's truth.</summary>
    protected bool Chooses(TItem item, params PSVariable[] extra) => Chooses(FilterScript, item, extra);

    /// <summary>Runs <paramref name="script"/> with $_ set to <paramref name="item"/> (and <paramref name="extra"/>) and reads its result as PowerShell's truth.</summary>
    internal static bool Chooses(ScriptBlock script, object item, params PSVariable[] extra)
    {
        var variables = new List<PSVariable> { new("_", item) };
        variables.AddRange(extra);
        var result = script.InvokeWithContext(null, variables);
        return result.Count > 0 && LanguagePrimitives.IsTrue(result.Count == 1 ? result[0] : result);
    }
}
