using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UnionSync.Domain;
using UnionSync.Domain.Identity;

namespace UnionSync.Hub.Tests;

/// <summary>
/// The hub's read-only API on a freshly started hub with the demo federation, checked against plain SQL.
/// One subclass per provider supplies the database.
/// </summary>
public abstract partial class HubApiTests<TFixture>(TFixture fixture)
    where TFixture : HubFixture
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task First_start_loads_the_demo_federation_and_health_is_healthy()
    {
        var (hub, client) = await fixture.GetAsync(Token);

        Assert.True(hub.Logs.Logged(HubEvents.DemoFederationLoaded), "the first start logs the demo load");
        Assert.False(hub.Logs.Logged(HubEvents.DemoFederationNotNeeded));
        var members = await DirectSql.ScalarAsync(hub.Database.DataSource, "SELECT COUNT(*) FROM members", Token);
        Assert.InRange(members, 1_000, 5_000);

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task The_roots_are_the_city_alone()
    {
        var (_, client) = await fixture.GetAsync(Token);

        var roots = await client.GetFromJsonAsync<JsonElement>("/api/v1/organizations", Token);

        var city = Assert.Single(roots.EnumerateArray());
        Assert.Equal(1, city.GetProperty("level").GetInt32());
        Assert.Equal(JsonValueKind.Null, city.GetProperty("parentId").ValueKind);
        Assert.Equal(0, city.GetProperty("depth").GetInt32());
    }

    [Fact]
    public async Task The_city_subtree_holds_every_organisation_once_and_depth_cuts_it()
    {
        var (hub, client) = await fixture.GetAsync(Token);
        var parents = await DirectSql.ReadParentsAsync(hub.Database.DataSource, Token);
        var cityId = await GetCityIdAsync(client);

        var subtree = await client.GetFromJsonAsync<JsonElement>($"/api/v1/organizations/{cityId}/subtree", Token);

        var nodes = subtree.GetProperty("organizations").EnumerateArray().ToList();
        Assert.Equal(parents.Count, subtree.GetProperty("count").GetInt32());
        Assert.Equal(parents.Keys.Order(), nodes.Select(n => n.GetProperty("id").GetGuid()).Order());
        Assert.Equal(cityId, nodes[0].GetProperty("id").GetGuid());
        var depthById = nodes.ToDictionary(n => n.GetProperty("id").GetGuid(), n => n.GetProperty("depth").GetInt32());
        foreach (var node in nodes.Skip(1))
        {
            var parent = node.GetProperty("parentId").GetGuid();
            Assert.Equal(depthById[parent] + 1, node.GetProperty("depth").GetInt32());
            Assert.Equal(node.GetProperty("level").GetInt32(), node.GetProperty("depth").GetInt32() + 1);
        }

        var shallow = await client.GetFromJsonAsync<JsonElement>($"/api/v1/organizations/{cityId}/subtree?depth=1", Token);
        var districts = parents.Count(p => p.Value == cityId);
        Assert.True(districts > 0);
        Assert.Equal(1 + districts, shallow.GetProperty("count").GetInt32());
        Assert.All(shallow.GetProperty("organizations").EnumerateArray(), n => Assert.InRange(n.GetProperty("depth").GetInt32(), 0, 1));
    }

    [Fact]
    public async Task Counts_of_the_city_a_district_and_a_grassroots_union_equal_a_direct_sql_count()
    {
        var (hub, client) = await fixture.GetAsync(Token);
        var dataSource = hub.Database.DataSource;
        var parents = await DirectSql.ReadParentsAsync(dataSource, Token);
        var cityId = await GetCityIdAsync(client);
        var district = parents.First(p => p.Value == cityId).Key;
        var biggestGrassroots = DirectSql.ToGuid((await DirectSql.RowsAsync(
            dataSource, "SELECT organization_id FROM members GROUP BY organization_id ORDER BY COUNT(*) DESC, organization_id LIMIT 1", Token))[0][0])!.Value;

        foreach (var organization in new[] { cityId, district, biggestGrassroots })
        {
            var subtree = DirectSql.Subtree(parents, organization);
            var expected = await DirectSql.CountAsync(dataSource, subtree, Token);

            var counts = await client.GetFromJsonAsync<JsonElement>($"/api/v1/organizations/{organization}/counts", Token);

            var members = counts.GetProperty("members");
            Assert.Equal(subtree.Count, counts.GetProperty("organizations").GetInt64());
            Assert.Equal(expected.Active, members.GetProperty("active").GetInt64());
            Assert.Equal(expected.Transferred, members.GetProperty("transferred").GetInt64());
            Assert.Equal(expected.Left, members.GetProperty("left").GetInt64());
            Assert.Equal(expected.Active + expected.Transferred + expected.Left, members.GetProperty("total").GetInt64());
            Assert.Equal(expected.ActiveCards, counts.GetProperty("activeCards").GetInt64());
            Assert.True(members.GetProperty("total").GetInt64() > 0);
        }
    }

    [Fact]
    public async Task A_search_by_name_finds_every_namesake_up_to_the_limit_with_numbers_masked()
    {
        var (hub, client) = await fixture.GetAsync(Token);
        var dataSource = hub.Database.DataSource;
        var commonest = await DirectSql.RowsAsync(
            dataSource, "SELECT name, COUNT(*) FROM members GROUP BY name ORDER BY COUNT(*) DESC, name LIMIT 1", Token);
        var name = (string)commonest[0][0]!;
        var namesakes = Convert.ToInt32(commonest[0][1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(namesakes > 1, "the demo federation has namesakes");
        var secrets = await ReadSecretsAsync(hub);

        var (all, allText) = await SearchAsync(client, new { name });
        var (one, _) = await SearchAsync(client, new { name, limit = 1 });

        var found = all.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(Math.Min(namesakes, 20), found.Count);
        Assert.Equal(namesakes > 20, all.GetProperty("truncated").GetBoolean());
        Assert.All(found, m => Assert.Equal(name, m.GetProperty("name").GetString()));
        Assert.All(found, m => Assert.Matches(MaskedIdNumber(), m.GetProperty("idNumber").GetString()));
        Assert.Equal(found.Select(m => m.GetProperty("id").GetGuid()).Order(), found.Select(m => m.GetProperty("id").GetGuid()));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, allText, StringComparison.Ordinal));

        Assert.Single(one.GetProperty("members").EnumerateArray());
        Assert.True(one.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task A_search_by_id_number_sent_in_the_body_finds_the_member_and_masks_number_and_phone()
    {
        var (hub, client) = await fixture.GetAsync(Token);
        var row = (await DirectSql.RowsAsync(
            hub.Database.DataSource, "SELECT id, id_number, phone, name FROM members WHERE phone IS NOT NULL ORDER BY id LIMIT 1", Token))[0];
        var idNumber = (string)row[1]!;
        var phone = (string)row[2]!;

        var (result, text) = await SearchAsync(client, new { idNumber });

        var member = Assert.Single(result.GetProperty("members").EnumerateArray());
        Assert.Equal(DirectSql.ToGuid(row[0]), member.GetProperty("id").GetGuid());
        Assert.Equal((string)row[3]!, member.GetProperty("name").GetString());
        Assert.Equal(Redact.IdNumber(idNumber), member.GetProperty("idNumber").GetString());
        Assert.Equal(Redact.Phone(phone), member.GetProperty("phone").GetString());
        Assert.DoesNotContain(idNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_id_number_of_nobody_finds_no_member()
    {
        var (_, client) = await fixture.GetAsync(Token);
        const string Body = "11010519000101999"; // born 1900: no member of the demo federation
        var idNumber = Body + ChineseIdNumber.ComputeCheckCharacter(Body);

        var (result, _) = await SearchAsync(client, new { idNumber });

        Assert.Empty(result.GetProperty("members").EnumerateArray());
    }

    [Fact]
    public async Task A_malformed_id_number_is_a_400_that_does_not_echo_it()
    {
        var (hub, client) = await fixture.GetAsync(Token);
        var real = (string)(await DirectSql.RowsAsync(hub.Database.DataSource, "SELECT id_number FROM members ORDER BY id LIMIT 1", Token))[0][0]!;
        var wrongCheck = real[..17] + (real[17] == '0' ? '1' : '0');

        var response = await client.PostAsJsonAsync("/api/v1/members/search", new { idNumber = wrongCheck }, Token);

        var text = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-id-number");
        Assert.DoesNotContain(wrongCheck, text, StringComparison.Ordinal);
        Assert.DoesNotContain(real[..17], text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name":"张伟","idNumber":"11010519491231002X"}""")]
    [InlineData("""{"name":"张伟","limit":0}""")]
    public async Task A_search_without_exactly_one_criterion_or_with_a_bad_limit_is_a_400(string body)
    {
        var (_, client) = await fixture.GetAsync(Token);

        var response = await client.PostAsync(
            new Uri("/api/v1/members/search", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Token);

        var text = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-member-search");
        Assert.DoesNotContain("11010519491231002X", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem()
    {
        var (_, client) = await fixture.GetAsync(Token);

        var response = await client.PostAsync(
            new Uri("/api/v1/members/search", UriKind.Relative), new StringContent("idNumber=11010519491231002X", System.Text.Encoding.UTF8, "application/json"), Token);

        var text = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "bad-request");
        Assert.DoesNotContain("11010519491231002X", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_organisation_is_a_404_for_its_subtree_and_its_counts()
    {
        var (_, client) = await fixture.GetAsync(Token);
        var unknown = Guid.CreateVersion7();

        await AssertProblemAsync(await client.GetAsync(new Uri($"/api/v1/organizations/{unknown}/subtree", UriKind.Relative), Token), HttpStatusCode.NotFound, "organization-not-found");
        await AssertProblemAsync(await client.GetAsync(new Uri($"/api/v1/organizations/{unknown}/counts", UriKind.Relative), Token), HttpStatusCode.NotFound, "organization-not-found");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(33)]
    public async Task A_depth_out_of_range_is_a_400(int depth)
    {
        var (_, client) = await fixture.GetAsync(Token);
        var cityId = await GetCityIdAsync(client);

        var response = await client.GetAsync(new Uri($"/api/v1/organizations/{cityId}/subtree?depth={depth}", UriKind.Relative), Token);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-depth");
    }

    [Fact]
    public async Task No_route_carries_an_id_number_and_the_lookup_takes_it_only_by_post()
    {
        var (hub, client) = await fixture.GetAsync(Token);

        var endpoints = hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var search = Assert.Single(endpoints, e => e.RoutePattern.RawText == "/api/v1/members/search");
        Assert.Equal(["POST"], search.Metadata.GetRequiredMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().HttpMethods);
        Assert.All(endpoints.SelectMany(e => e.RoutePattern.Parameters), p => Assert.Equal("id", p.Name));

        var byQuery = await client.GetAsync(new Uri("/api/v1/members/search?idNumber=11010519491231002X", UriKind.Relative), Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, byQuery.StatusCode);
    }

    private static async Task<Guid> GetCityIdAsync(HttpClient client)
    {
        var roots = await client.GetFromJsonAsync<JsonElement>("/api/v1/organizations", Token);
        return roots[0].GetProperty("id").GetGuid();
    }

    private static async Task<(JsonElement Result, string Text)> SearchAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/members/search", body, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(errorCode, problem.GetProperty("errorCode").GetString());
        Assert.Equal("urn:unionsync:hub:problem:" + errorCode, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return text;
    }

    /// <summary>Every identity number and phone of the federation: none may appear in a response in full.</summary>
    private static async Task<List<string>> ReadSecretsAsync(HubApplication hub)
    {
        var secrets = new List<string>();
        foreach (var row in await DirectSql.RowsAsync(hub.Database.DataSource, "SELECT id_number, phone FROM members", Token))
        {
            secrets.Add((string)row[0]!);
            if (row[1] is string phone)
            {
                secrets.Add(phone);
            }
        }

        return secrets;
    }

    [GeneratedRegex("^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$")]
    private static partial Regex MaskedIdNumber();
}
