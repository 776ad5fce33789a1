package dev.keel.runtime;

import java.time.Instant;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;

/** The version and commit this process runs: {@code APP_VERSION} first, then the build's own info. */
@Component
public class BuildVersion {

	private final String version;

	private final String commit;

	private final Instant startedAt = Instant.now();

	BuildVersion(RuntimeProperties properties, ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
		BuildProperties b = build.getIfAvailable();
		GitProperties g = git.getIfAvailable();
		this.version = (properties.version() != null && !properties.version().isBlank()) ? properties.version()
				: (b != null) ? b.getVersion() : "development";
		this.commit = (g != null && g.getShortCommitId() != null) ? g.getShortCommitId() : "unknown";
	}

	public String version() {
		return this.version;
	}

	public String commit() {
		return this.commit;
	}

	public Instant startedAt() {
		return this.startedAt;
	}

}
