import HTTPClient

/// The real transport: the project's HTTPS client.
extension HTTPClient: EvoLinkTransport {}
