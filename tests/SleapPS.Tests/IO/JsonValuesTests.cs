using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Tests.IO;

public class JsonValuesTests
{
    [Fact]
    public void ToPlainGivesDictionariesListsLongsDoubles()
    {
        var plain = (Dictionary<string, object?>)JsonValues.ToPlain(JsonNode.Parse(
            """{"sleap_version":"1.4.1","total_elapsed":12.5,"batch":4,"ok":true,"none":null,"args":{"tracking.tracker":"simple","models":["a","b"]}}"""))!;

        Assert.Equal("1.4.1", plain["sleap_version"]);
        Assert.Equal(12.5, plain["total_elapsed"]);
        Assert.Equal(typeof(long), plain["batch"]!.GetType());
        Assert.Equal(4L, (long)plain["batch"]!);
        Assert.Equal(true, plain["ok"]);
        Assert.Null(plain["none"]);
        var args = Assert.IsType<Dictionary<string, object?>>(plain["args"]);
        Assert.Equal(new List<object?> { "a", "b" }, args["models"]);
    }

    [Fact]
    public void FromPlainAcceptsHashtablesAndArraysAndRoundTrips()
    {
        var table = new System.Collections.Specialized.OrderedDictionary { ["n"] = 3, ["xs"] = new object[] { 1.5, "s", false, null! } };
        Assert.Equal("""{"n":3,"xs":[1.5,"s",false,null]}""", JsonValues.FromPlain(table)!.ToJsonString());

        const string json = """{"a":[1,2.25,{"b":null}],"c":"d"}""";
        Assert.Equal(json, JsonValues.FromPlain(JsonValues.ToPlain(JsonNode.Parse(json)))!.ToJsonString());
    }

    [Fact]
    public void FromPlainRejectsObjectsWithoutJsonForm()
    {
        var ex = Assert.Throws<SleapException>(() => JsonValues.FromPlain(new Dictionary<string, object?> { ["x"] = new Uri("http://a/") }));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("Cannot store a value of type System.Uri ('http://a/') as JSON.", ex.Message);
    }
}
