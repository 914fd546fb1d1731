/// Downloads must keep up with the provider (a task yields at most 4 images of a few
/// MB, and generation takes seconds), and must stream: an image is never held in memory
/// whole, so peak RSS stays flat as images grow from 100 KB to 20 MB and as workers are
/// added (16 workers x 20 MB held in memory would be 320 MB; the bound is far below).
/// Small images cost their fsyncs (file, directory, commit), not their bytes, so their
/// target is in images per second; large ones in MB per second.
struct DownloadTargets {
    let imagesPerSecond: Target?
    let megabytesPerSecond: Target?
    let peakRSS: Target

    init(workers: Int, imageBytes: Int) {
        if imageBytes < 1_000_000 {
            imagesPerSecond = .atLeast(20, "20")
            megabytesPerSecond = nil
        } else {
            imagesPerSecond = nil
            megabytesPerSecond = workers == 1 ? .atLeast(10, "10") : .atLeast(20, "20")
        }
        peakRSS = .atMost(100_000_000, "100 MB")
    }
}
