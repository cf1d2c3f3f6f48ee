package dev.sedge.bench.simulate;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real traces are: {@code ../shared/data} beside the project, when it is there. */
final class RealTraces {

    private RealTraces() {}

    /** {@code ../shared/data} from the project root, the nearest folder up that holds {@code mvnw}. */
    static Path folder() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        return dir == null
                ? Path.of("shared", "data")
                : dir.resolveSibling("shared").resolve("data");
    }
}
