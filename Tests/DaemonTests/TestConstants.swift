import Foundation

let longToken = String(repeating: "a1b2c3d4", count: 5)
let relaySecretText = String(repeating: "r", count: 40)
