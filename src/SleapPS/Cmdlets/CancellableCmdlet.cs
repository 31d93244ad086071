using System.Management.Automation;

namespace SleapPS.Cmdlets;

/// <summary>
/// A cmdlet whose work can run long (rendering, tracking, predicting): Ctrl+C or PowerShell.Stop() cancels
/// <see cref="StopToken"/>, which the engine checks between frames. The token source lives as long as the cmdlet:
/// PowerShell may call StopProcessing (on another thread) before BeginProcessing or after EndProcessing, and it
/// disposes the cmdlet when the pipeline ends, whether it ended well or not.
/// </summary>
public abstract class CancellableCmdlet : SleapCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <summary>Called on another thread by Ctrl+C or PowerShell.Stop(); a stop that comes after Dispose has nothing left to cancel.</summary>
    protected override void StopProcessing()
    {
        lock (_gate)
        {
            if (!_disposed) _stop.Cancel();
        }
    }

    /// <summary>PowerShell disposes the cmdlet when the pipeline ends.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _stop.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
