# Loads SleapPS with its dependencies in their own load context, so that SleapPS can share a session with modules that
# use other versions of the same libraries (docs/design/architecture.md §6):
#   SleapPS.dll (the cmdlets) goes into the default context, as any binary module does;
#   everything under bin/ (the engine, ONNX Runtime, Google.Protobuf, OpenCvSharp, ...) goes into SleapPS's context,
#   which must exist before PowerShell reads the cmdlets' types.

$cmdletAssembly = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'SleapPS.dll'))
$cmdletAssembly.GetType('SleapPS.Loading.DependencyLoadContext', $true).
    GetMethod('Install').
    Invoke($null, @(, [System.IO.Path]::Combine($PSScriptRoot, 'bin'))) | Out-Null

$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$cmdlets = & $importModule -Assembly $cmdletAssembly -PassThru -Force

# Importing an assembly that is already loaded reuses the cached module and does not hand its cmdlets to this one
# (PowerShell/PowerShell#20710), so after Remove-Module and a second import they are added here explicitly.
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
    'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $cmdlets.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet)) | Out-Null
}
