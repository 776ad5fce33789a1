package dev.keel.delivery;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository, found from the test's working directory (Maven runs tests in the project root). */
final class ProjectFiles {

	private ProjectFiles() {
	}

	static Path root() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("not inside the Keel repository: " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

	static Path path(String relative) {
		return root().resolve(relative);
	}

}
