package dev.keel.runtime;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Start-up is told in five phases, one log line each (config → database → migrations → subsystems →
 * HTTP), then a banner. The database module logs its own two phases through {@link #log}.
 */
@Component
public class BootstrapPhases {

	private static final Logger log = LoggerFactory.getLogger(BootstrapPhases.class);

	private static final int PHASES = 5;

	private final RuntimeProperties properties;

	private final BuildVersion version;

	private final ObjectProvider<StartupFacts> facts;

	private volatile int port = -1;

	BootstrapPhases(RuntimeProperties properties, BuildVersion version, ObjectProvider<StartupFacts> facts) {
		this.properties = properties;
		this.version = version;
		this.facts = facts;
	}

	public static void log(int phase, String name, String detail) {
		log.info("startup phase {}/{} {}: {}", phase, PHASES, name, detail);
	}


	@EventListener
	void onWebServer(WebServerInitializedEvent event) {
		this.port = event.getWebServer().getPort();
		log(5, "http", "listening on port " + this.port);
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		Map<String, String> lines = new TreeMap<>();
		this.facts.orderedStream().forEach((f) -> lines.putAll(f.facts()));
		long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
		StringBuilder banner = new StringBuilder();
		banner.append("Keel ").append(this.version.version()).append(" (commit ").append(this.version.commit())
			.append(") ready in ").append(uptime).append(" ms: profile=").append(this.properties.env().id())
			.append(" port=").append(this.port);
		lines.forEach((k, v) -> banner.append(' ').append(k).append('=').append(v));
		log.info(banner.toString());
	}

}
