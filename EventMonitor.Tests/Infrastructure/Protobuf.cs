using System.Buffers.Binary;
using System.Text;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// Just enough of the protobuf wire format to read OTLP requests: fields by number, each a varint,
/// a fixed 64/32-bit value or a length-delimited chunk (a nested message, string or packed array).
/// </summary>
public readonly record struct ProtoField(int Number, ulong Scalar, ReadOnlyMemory<byte> Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public double AsDouble => BitConverter.UInt64BitsToDouble(Scalar);

    public IReadOnlyList<ProtoField> Message => Protobuf.Parse(Bytes);

}

public static class Protobuf
{
    public static IReadOnlyList<ProtoField> Parse(ReadOnlyMemory<byte> bytes)
    {
        var fields = new List<ProtoField>();
        var span = bytes.Span;
        var at = 0;
        while (at < span.Length)
        {
            var key = ReadVarint(span, ref at);
            var number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    fields.Add(new ProtoField(number, ReadVarint(span, ref at), default));
                    break;
                case 1:
                    fields.Add(new ProtoField(number, BinaryPrimitives.ReadUInt64LittleEndian(span[at..]), default));
                    at += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref at);
                    fields.Add(new ProtoField(number, 0, bytes.Slice(at, length)));
                    at += length;
                    break;
                case 5:
                    fields.Add(new ProtoField(number, BinaryPrimitives.ReadUInt32LittleEndian(span[at..]), default));
                    at += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported wire type {key & 7} at byte {at}.");
            }
        }
        return fields;
    }

    /// <summary>The nested messages under a path of field numbers, e.g. resource → scope → record.</summary>
    public static IEnumerable<IReadOnlyList<ProtoField>> Select(IReadOnlyList<ProtoField> message, params int[] path)
    {
        IEnumerable<IReadOnlyList<ProtoField>> level = [message];
        foreach (var number in path)
        {
            level = level.SelectMany(m => m.Where(f => f.Number == number).Select(f => f.Message)).ToList();
        }
        return level;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
