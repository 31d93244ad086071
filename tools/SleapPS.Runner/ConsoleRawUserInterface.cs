using System.Management.Automation.Host;

namespace SleapPS.Runner;

/// <summary>Just enough of a console for the formatter: a fixed line width (wide when output is redirected).</summary>
internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
{
    private static readonly int Width = Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth);

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get => new(Width, 9999); set { } }
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; } = 1;
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => new(Width, 9999);
    public override Size MaxWindowSize => new(Width, 9999);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get => new(Width, 50); set { } }
    public override string WindowTitle { get; set; } = "SleapPS.Runner";

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("SleapPS.Runner has no screen buffer.");
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("SleapPS.Runner cannot read keys.");
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
}
