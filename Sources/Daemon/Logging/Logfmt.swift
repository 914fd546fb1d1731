/// logfmt encoding: `key=value` pairs separated by single spaces, one event per line.
/// Values are bare when they are non-empty and contain no space, `=`, `"`, `\` or control
/// character; otherwise double-quoted with `\"`, `\\`, `\n`, `\r`, `\t` and `\u00XX`
/// escapes, so one event can never span or forge lines in the journal.
public enum Logfmt {
    public static func encodeKey(_ key: String) -> String {
        // Keys must stay bare tokens; anything else becomes `_` so output stays parseable.
        var out = ""
        for scalar in key.unicodeScalars {
            let ok = scalar.isASCII && scalar.value > 0x20 && scalar != "=" && scalar != "\"" && scalar.value != 0x7F
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out.isEmpty ? "_" : out
    }

    public static func encodeValue(_ value: String) -> String {
        guard value.isEmpty || value.unicodeScalars.contains(where: needsQuoting) else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func needsQuoting(_ s: Unicode.Scalar) -> Bool {
        s.value <= 0x20 || s == "=" || s == "\"" || s == "\\" || s.value == 0x7F
            || (0x80...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    public static func pair(_ key: String, _ value: String) -> String {
        encodeKey(key) + "=" + encodeValue(value)
    }
}
