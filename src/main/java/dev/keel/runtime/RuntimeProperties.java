package dev.keel.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Application-wide settings ({@code APP_ENV}, {@code APP_VERSION}, {@code BASE_URL}).
 *
 * @param env the environment this instance runs as
 * @param version the release version; empty means the build's own version
 * @param baseUrl the public URL
 */
@ConfigurationProperties("keel")
public record RuntimeProperties(AppEnvironment env, String version, String baseUrl) {

	public RuntimeProperties {
		env = (env != null) ? env : AppEnvironment.DEV;
	}

	public boolean isDev() {
		return this.env == AppEnvironment.DEV;
	}

}
