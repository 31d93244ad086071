#Requires -Version 7.4
# SleapPS loads its dependencies in its own AssemblyLoadContext (docs/design/architecture.md §6), so it works in a
# session where another module already loaded another version of the same library; and the native-library resolver
# lives exactly as long as the module is imported.
# Each test runs in a fresh pwsh child process: what the session loaded before SleapPS is the point of the test.
# Build first (./build.ps1), then: Invoke-Pester ./tests/Pester

BeforeAll {
    $Manifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1'))
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    $Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')   # the pwsh running these tests

    # Runs a script in a new pwsh; its output is JSON, returned as objects. A failure fails the test with its message.
    function Invoke-Child([string] $Script) {
        $file = Join-Path $TestDrive ("child-{0}.ps1" -f [guid]::NewGuid())
        Set-Content -LiteralPath $file -Value $Script
        $output = & $Pwsh -NoProfile -NonInteractive -File $file 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit code $LASTEXITCODE):`n$($output -join "`n")" }
        ($output -join "`n") | ConvertFrom-Json
    }

    # Where the engine's native-library resolver is, seen by reflection (the engine is not visible to type literals).
    $ResolverState = @'
function ResolverRegistered {
    $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SleapPS.Engine' }
    $engine.GetType('SleapPS.Engine.Native.NativeLibraryResolver', $true).GetProperty('IsRegistered').GetValue($null)
}
'@
}

Describe 'SleapPS in a session that already holds another Google.Protobuf' {
    It 'imports a Keras model (converted to ONNX with its own Google.Protobuf) beside Google.Protobuf 3.0.0.0 in the default context' {
        $result = Invoke-Child @"
`$ErrorActionPreference = 'Stop'
# A stand-in for another module's Google.Protobuf: same assembly name, another version, none of the API SleapPS needs.
# Were SleapPS bound to it, the conversion of the model would fail.
`$other = Join-Path '$TestDrive' 'other-protobuf' 'Google.Protobuf.dll'
New-Item -ItemType Directory -Path (Split-Path `$other) -Force | Out-Null
Add-Type -AssemblyName Microsoft.CodeAnalysis.CSharp   # Roslyn, shipped with pwsh: Add-Type itself cannot name the assembly
`$source = @'
[assembly: System.Reflection.AssemblyVersion("3.0.0.0")]
namespace Google.Protobuf { public static class StandIn { public const string Owner = "another module"; } }
'@
`$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create(
    'Google.Protobuf',
    [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText(`$source)),
    [Microsoft.CodeAnalysis.MetadataReference[]]@([Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)),
    [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
`$emitted = [Microsoft.CodeAnalysis.FileSystemExtensions]::Emit(`$compilation, `$other)
if (-not `$emitted.Success) { throw (`$emitted.Diagnostics -join "``n") }
[System.Reflection.Assembly]::LoadFrom(`$other) | Out-Null

Import-Module '$Manifest'
`$cache = Join-Path '$TestDrive' ('cache-' + [guid]::NewGuid())
`$predictor = Import-SleapModel (Join-Path '$Fixtures' 'models' 'minimal_instance.UNet.bottomup') -CacheFolder `$cache
[pscustomobject]@{
    Kind = "`$(`$predictor.Kind)"
    Converted = @(Get-ChildItem `$cache -Recurse -Filter *.onnx).Count
    StandIn = [Google.Protobuf.StandIn]::Owner
    Protobufs = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Google.Protobuf' } | ForEach-Object {
        [pscustomobject]@{
            Version = `$_.GetName().Version.ToString()
            Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name
        }
    } | Sort-Object Version)
} | ConvertTo-Json -Depth 4
`$predictor.Dispose()
"@
        $result.Kind | Should -Be 'BottomUp'
        $result.Converted | Should -BeGreaterThan 0
        $result.StandIn | Should -Be 'another module'
        $result.Protobufs | Should -HaveCount 2
        $result.Protobufs[0].Version | Should -Be '3.0.0.0'
        $result.Protobufs[0].Context | Should -Be 'Default'
        $result.Protobufs[1].Version | Should -Not -Be '3.0.0.0'
        $result.Protobufs[1].Context | Should -Be 'SleapPS'
    }
}

Describe 'The native-library resolver follows the module' {
    It 'is registered by Import-Module, removed by Remove-Module and registered again by a second import' {
        $result = Invoke-Child @"
`$ErrorActionPreference = 'Stop'
$ResolverState
Import-Module '$Manifest'
`$imported = ResolverRegistered
`$engineContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(
    ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'SleapPS.Engine' })).Name
Remove-Module SleapPS
`$removed = ResolverRegistered
Import-Module '$Manifest'
`$cmdlets = @(Get-Command -Module SleapPS).Name
`$video = Get-SleapVideo (Join-Path '$Fixtures' 'videos' 'small_robot_3_frame.mp4')
[pscustomobject]@{
    Imported = `$imported; EngineContext = `$engineContext; Removed = `$removed
    Reimported = ResolverRegistered; Cmdlets = `$cmdlets; FrameCount = `$video.FrameCount
} | ConvertTo-Json
"@
        $result.Imported | Should -BeTrue
        $result.EngineContext | Should -Be 'SleapPS'
        $result.Removed | Should -BeFalse
        $result.Reimported | Should -BeTrue
        # Every cmdlet the manifest exports, again after the second import.
        $result.Cmdlets | Sort-Object | Should -Be ((Import-PowerShellDataFile $Manifest).CmdletsToExport | Sort-Object)
        $result.FrameCount | Should -Be 3
    }
}
