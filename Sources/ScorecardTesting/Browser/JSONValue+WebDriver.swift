import ScorecardCore

/// Loose reads of WebDriver answers (internal: test targets have their own accessors).
extension JSONValue {
    func member(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var asString: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var asBool: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    var asDouble: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    var asInt: Int? {
        if case .number(let number) = self, number == number.rounded(), abs(number) < 9e15 { return Int(number) }
        return nil
    }

    var asArray: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }
}
