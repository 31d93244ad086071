@{
    RootModule           = 'SleapPS.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f2d7e-3c61-4c1e-9a43-7d2f1b9a6e51'
    Author               = 'SleapPS contributors'
    CompanyName          = 'SleapPS'
    Copyright            = '(c) SleapPS contributors. MIT License.'
    Description          = 'Run SLEAP pose-estimation models, track animals and read and write SLEAP labels from PowerShell, without Python.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SleapPS.Format.ps1xml')
    CmdletsToExport      = @(
        'Import-SleapLabels'
        'Export-SleapLabels'
        'Get-SleapVideo'
        'ConvertTo-SleapTable'
        'Import-SleapModel'
        'Measure-SleapAccuracy'
        'Start-SleapTracker'
        'Export-SleapVideo'
        'Invoke-SleapPredict'
        'Remove-SleapLowScorePoint'
        'Add-SleapInterpolatedPoint'
        'Invoke-SleapSmoothing'
        'Get-SleapKinematics'
        'Measure-SleapKinematics'
        'Merge-SleapLabels'
        'Split-SleapLabels'
        'Select-SleapFrame'
        'Remove-SleapFrame'
        'Select-SleapInstance'
        'Remove-SleapInstance'
        'Select-SleapTrack'
        'Remove-SleapTrack'
        'Rename-SleapNode'
        'Rename-SleapTrack'
        'Set-SleapVideoPath'
        'Join-SleapPrediction'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('SLEAP', 'pose-estimation', 'animal-tracking', 'neuroscience', 'onnx')
            ProjectUri = 'https://github.com/sleapps/SleapPS'
        }
    }
}
