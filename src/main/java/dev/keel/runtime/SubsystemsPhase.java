package dev.keel.runtime;

import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Logs phase 4 when every subsystem's lifecycle has started, just before the web server starts
 * listening (whose lifecycle phase is {@code DEFAULT_PHASE - 1024}).
 */
@Component
class SubsystemsPhase implements SmartLifecycle {

	private final ApplicationContext context;

	private volatile boolean running;

	SubsystemsPhase(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void start() {
		this.running = true;
		BootstrapPhases.log(4, "subsystems", this.context.getBeanDefinitionCount() + " beans ready");
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE - 1025;
	}

}
