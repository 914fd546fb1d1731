import Testing
import Support

@Suite struct SplitMix64Tests {
    /// The reference outputs for seed 0 (Vigna's splitmix64.c), so every user of a seed
    /// (simulator faults, rendered images, replayed chaos runs) keeps its sequence.
    @Test func matchesTheReferenceSequence() {
        var rng = SplitMix64(seed: 0)
        let first = [rng.next(), rng.next(), rng.next()]
        #expect(first == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func chanceOfZeroOrOneConsumesNothing() {
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        let never = a.chance(0), always = a.chance(1)
        #expect(!never)
        #expect(always)
        let (nextA, nextB) = (a.next(), b.next())
        #expect(nextA == nextB)
    }
}
