/// `usage` on a created task. A request is pre-charged for `n` (PROVIDER.md, `n`), so
/// `credits_reserved` is a number, not necessarily whole. Extra fields such as
/// `credits_used` appear in practice and are ignored (the raw body keeps them).
public struct Usage: Sendable, Hashable, Codable {
    public var billingRule: String?
    public var creditsReserved: Double?
    public var userGroup: String?

    public init(billingRule: String? = nil, creditsReserved: Double? = nil, userGroup: String? = nil) {
        self.billingRule = billingRule
        self.creditsReserved = creditsReserved
        self.userGroup = userGroup
    }

    enum CodingKeys: String, CodingKey {
        case billingRule = "billing_rule"
        case creditsReserved = "credits_reserved"
        case userGroup = "user_group"
    }
}
