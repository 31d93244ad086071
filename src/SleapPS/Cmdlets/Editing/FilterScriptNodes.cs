using System.Management.Automation;
using System.Management.Automation.Language;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// Checks the node names a -FilterScript on instances indexes with ($_['thorax']) against the skeletons before it runs.
/// PowerShell turns a failing indexer into $null outside strict mode, so a misspelt node would silently choose nothing;
/// a name no skeleton has is an error that lists the nodes instead (docs/design/labels-operations.md §4).
/// </summary>
internal static class FilterScriptNodes
{
    public static SleapException? Check(ScriptBlock script, Labels labels)
    {
        var skeletons = labels.Skeletons.Count > 0 ? labels.Skeletons : labels.AllInstances.Select(i => i.Skeleton).Distinct().ToList();
        var indexes = script.Ast.FindAll(a => a is IndexExpressionAst { Target: VariableExpressionAst { VariablePath.UserPath: "_" or "PSItem" }, Index: StringConstantExpressionAst }, true);
        foreach (IndexExpressionAst index in indexes.Cast<IndexExpressionAst>())
        {
            string node = ((StringConstantExpressionAst)index.Index).Value;
            if (!skeletons.Any(s => s.IndexOf(node) >= 0))
                return new SleapException(SleapErrorKind.InvalidArgument,
                    $"The filter script names the node '{node}', which no skeleton has. {LabelsRenaming.DescribeNodes(skeletons)}");
        }
        return null;
    }
}
