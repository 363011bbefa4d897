using System.Data;
using System.Text;
using System.Text.Json;
using Dapper;

namespace LazyAf.Kernel.Db;

/// <summary>
/// A list of values bound as one parameter, a JSON array the SQL reads with <c>json_each</c>:
/// <c>x IN (SELECT value FROM json_each(@Name))</c>. Dapper's own list expansion binds one named parameter per value,
/// and SQLite finds each by name in a list, so n values cost n² name comparisons (a fifth of a 200-card page's time).
/// </summary>
public sealed class SqlList : SqlMapper.ICustomQueryParameter
{
    private readonly string _json;

    private SqlList(string json) => _json = json;

    /// <summary>The list of <paramref name="values"/>, in their order.</summary>
    public static SqlList Of(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Write(writer =>
        {
            foreach (var value in values)
                writer.WriteStringValue(value);
        });
    }

    /// <summary>The list of <paramref name="values"/>, in their order.</summary>
    public static SqlList Of(IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Write(writer =>
        {
            foreach (var value in values)
                writer.WriteNumberValue(value);
        });
    }

    private static SqlList Write(Action<Utf8JsonWriter> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            values(writer);
            writer.WriteEndArray();
        }
        return new SqlList(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <inheritdoc />
    public void AddParameter(IDbCommand command, string name)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = _json;
        command.Parameters.Add(parameter);
    }
}
