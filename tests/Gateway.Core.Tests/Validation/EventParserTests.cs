using Gateway.Core.Validation;

namespace Gateway.Core.Tests.Validation;

public sealed class EventParserTests
{
    [Fact]
    public void Parse_ReturnsOneEventWithEmptyPath_WhenBodyIsASingleObject()
    {
        var r = EventParser.Parse("""{"event_name":"Purchase","event_id":"e1","event_time":1700000000,"user_data":{"email":"a@b.co"}}""");
        Assert.Null(r.BodyError);
        Assert.False(r.IsBatch);
        var e = Assert.Single(r.Events);
        Assert.Equal("", e.Path);
        Assert.True(e.Success);
        Assert.Equal("Purchase", e.Event!.EventName);
        Assert.Equal(1700000000d, e.Event.EventTime);
        Assert.Equal("a@b.co", e.Event.UserData!.Email);
    }

    [Fact]
    public void Parse_ReturnsEveryEvent_WhenBodyIsABatch()
    {
        var r = EventParser.Parse("""{"events":[{"event_name":"A"},{"event_name":"B"}]}""");
        Assert.True(r.IsBatch);
        Assert.Equal(["A", "B"], r.Events.Select(e => e.Event!.EventName));
        Assert.Equal(["events[0]", "events[1]"], r.Events.Select(e => e.Path));
    }

    [Fact]
    public void Parse_NamesTheFullPath_WhenAValueHasTheWrongType()
    {
        var body = """{"events":[{},{},{},{"event_name":"P","custom_data":{"value":"12.50","currency":"USD"}}]}""";
        var r = EventParser.Parse(body);
        Assert.True(r.Events[0].Success);
        var bad = r.Events[3];
        Assert.False(bad.Success);
        Assert.Null(bad.Event);
        var error = Assert.Single(bad.Errors);
        Assert.Equal("events[3].custom_data.value", error.Field);
        Assert.Contains("must be a number", error.Message);
    }

    [Theory]
    [InlineData("""{"event_name":5}""", "event_name", "must be a string")]
    [InlineData("""{"event_time":"1700000000"}""", "event_time", "must be a number")]
    [InlineData("""{"user_data":"x"}""", "user_data", "must be an object")]
    [InlineData("""{"user_data":{"phone":15551234567}}""", "user_data.phone", "must be a string")]
    [InlineData("""{"custom_data":{"contents":{}}}""", "custom_data.contents", "must be an array")]
    [InlineData("""{"custom_data":{"contents":[{"quantity":1.5}]}}""", "custom_data.contents[0].quantity", "whole number")]
    [InlineData("""{"custom_data":{"contents":[5]}}""", "custom_data.contents[0]", "must be an object")]
    [InlineData("""{"custom_data":{"num_items":true}}""", "custom_data.num_items", "must be a number")]
    [InlineData("""{"consent":{"ad_user_data":false}}""", "consent.ad_user_data", "must be a string")]
    [InlineData("""{"event_time":1e400}""", "event_time", "out of range")]
    public void Parse_ReportsTypeErrors(string json, string field, string message)
    {
        var e = Assert.Single(EventParser.Parse(json).Events);
        var error = Assert.Single(e.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_TreatsJsonNullAsAbsent()
    {
        var e = Assert.Single(EventParser.Parse("""{"event_name":"P","user_data":{"email":null},"custom_data":null,"event_time":null}""").Events);
        Assert.True(e.Success);
        Assert.Null(e.Event!.UserData!.Email);
        Assert.Null(e.Event.CustomData);
        Assert.Null(e.Event.EventTime);
    }

    [Fact]
    public void Parse_ListsUnknownFieldsAndIgnoresThem()
    {
        var r = EventParser.Parse("""{"event_name":"P","foo":1,"user_data":{"email":"a@b.co","mood":"ok"},"custom_data":{"value":1,"foo":{"x":1},"contents":[{"id":"1","sku":"x"}]},"consent":{"analytics":"granted"}}""");
        var e = Assert.Single(r.Events);
        Assert.True(e.Success);
        Assert.Equal(["foo", "user_data.mood", "custom_data.foo", "custom_data.contents[0].sku", "consent.analytics"], e.UnknownFields);
        Assert.Equal(1m, e.Event!.CustomData!.Value);
    }

    [Fact]
    public void Parse_PrefixesUnknownFieldsWithTheEventIndex_InABatch()
    {
        var r = EventParser.Parse("""{"events":[{"custom_data":{"foo":1}}],"meta":1}""");
        Assert.Equal(["events[0].custom_data.foo"], r.Events[0].UnknownFields);
        Assert.Equal(["meta"], r.UnknownFields);
    }

    [Theory]
    [InlineData("not json", "$", "not valid JSON")]
    [InlineData("", "$", "not valid JSON")]
    [InlineData("[1,2]", "$", "must be a JSON object")]
    [InlineData("\"event\"", "$", "must be a JSON object")]
    [InlineData("""{"events":{}}""", "events", "must be an array")]
    [InlineData("""{"events":null}""", "events", "must be an array")]
    [InlineData("""{"events":[]}""", "events", "at least one")]
    [InlineData("""{"event_name":"P",}""", "$", "not valid JSON")]
    public void Parse_ReturnsABodyError_WhenTheBodyIsUnusable(string body, string field, string message)
    {
        var r = EventParser.Parse(body);
        Assert.NotNull(r.BodyError);
        Assert.Equal(field, r.BodyError!.Field);
        Assert.Contains(message, r.BodyError.Message);
        Assert.Empty(r.Events);
    }

    [Fact]
    public void Parse_AcceptsExactlyTheBatchLimit_AndRejectsOneMore()
    {
        var limits = IngestionLimits.Default with { MaxBatchSize = 3 };
        Assert.Null(EventParser.Parse("""{"events":[{},{},{}]}""", limits).BodyError);
        var over = EventParser.Parse("""{"events":[{},{},{},{}]}""", limits);
        Assert.Equal("events", over.BodyError!.Field);
        Assert.Contains("at most 3", over.BodyError.Message);
    }

    [Fact]
    public void Parse_DefaultBatchLimitIs1000()
    {
        var body = "{\"events\":[" + string.Join(",", Enumerable.Repeat("{}", 1001)) + "]}";
        Assert.NotNull(EventParser.Parse(body).BodyError);
        Assert.Equal(1000, IngestionLimits.Default.MaxBatchSize);
    }

    [Fact]
    public void Parse_RejectsBodiesOverTheByteLimit()
    {
        var r = EventParser.Parse("""{"event_name":"Purchase"}""", IngestionLimits.Default with { MaxBodyBytes = 10 });
        Assert.Equal("$", r.BodyError!.Field);
    }

    [Fact]
    public void Parse_RejectsDeeplyNestedBodies()
    {
        var deep = "{\"custom_data\":{\"foo\":" + new string('[', 100) + new string(']', 100) + "}}";
        Assert.NotNull(EventParser.Parse(deep).BodyError);
    }

    [Fact]
    public void Parse_ReportsANonObjectEventInABatch()
    {
        var r = EventParser.Parse("""{"events":[{"event_name":"A"}, 42]}""");
        Assert.True(r.Events[0].Success);
        Assert.Equal("events[1]", Assert.Single(r.Events[1].Errors).Field);
    }

    [Fact]
    public void Parse_ReadsEveryKnownField()
    {
        var json = """
        {"event_name":"Purchase","event_id":"e1","event_time":1700000000.5,"action_source":"website",
         "event_source_url":"https://x.example/","referrer":"https://r.example/","source":"browser",
         "user_data":{"email":"e","phone":"p","external_id":"x","first_name":"f","last_name":"l","gender":"g",
           "date_of_birth":"d","city":"c","state":"s","zip":"z","country":"us","client_ip_address":"1.2.3.4",
           "client_user_agent":"ua","ttclid":"tc","ttp":"tp","fbc":"fc","fbp":"fp","fbclid":"fcl"},
         "custom_data":{"value":12.5,"currency":"EUR","contents":[{"id":"sku","quantity":2,"item_price":6.25,"name":"n","category":"k"}],
           "content_type":"product","order_id":"o","search_string":"q","num_items":2,"content_name":"cn","content_category":"cc","status":"st"},
         "consent":{"ad_user_data":"granted","ad_personalization":"denied"}}
        """;
        var e = Assert.Single(EventParser.Parse(json).Events);
        Assert.Empty(e.UnknownFields);
        var ev = e.Event!;
        Assert.Equal(1700000000.5, ev.EventTime);
        Assert.Equal("browser", ev.Source);
        Assert.Equal("fcl", ev.UserData!.Fbclid);
        Assert.Equal("1.2.3.4", ev.UserData.ClientIpAddress);
        Assert.Equal(12.5m, ev.CustomData!.Value);
        var item = Assert.Single(ev.CustomData.Contents!);
        Assert.Equal(("sku", 2, 6.25m, "n", "k"), (item.Id, item.Quantity, item.ItemPrice, item.Name, item.Category));
        Assert.Equal("st", ev.CustomData.Status);
        Assert.Equal("denied", ev.Consent!.AdPersonalization);
    }
}
