package dev.keel.jobs;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The worker side of one instance: a dispatcher per job type that claims up to its free slots in one
 * statement and runs the jobs on virtual threads, a completer that records finished jobs in batches,
 * heartbeats for running jobs, the rescue of jobs whose worker died, the queue monitor and the
 * schedule ticker. Stopping (SIGTERM) stops claiming, lets running jobs finish up to the shutdown
 * timeout, then hands the rest back for immediate retry.
 */
class JobWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

	private static final int MAX_CLAIM = 500;

	private static final Duration BACKLOG_WAIT = Duration.ofMillis(5);

	private final JobRepository jobs;

	private final JobRunner runner;

	private final JobsProperties properties;

	private final Clock clock;

	private final JobNotifications notifications;

	private final Runnable maintenance;

	private final Duration shutdownTimeout;

	private final String workerId;

	private final Map<String, TypeWorker> workers = new ConcurrentHashMap<>();

	/** Running or finished-but-not-yet-recorded jobs of this instance: id → attempt. */
	private final Map<Long, Running> running = new ConcurrentHashMap<>();

	private final BlockingQueue<Running> finished = new LinkedBlockingQueue<>();

	/** Made anew by every {@link #start()}: a stopped context can be started again (tests pause idle contexts). */
	private volatile ExecutorService executor;

	private ScheduledExecutorService timers;

	private Thread completer;

	private Thread listener;

	private volatile boolean started;

	private final List<Map.Entry<Duration, Runnable>> extraTimers = new ArrayList<>();

	private final List<Runnable> startTasks = new ArrayList<>();

	JobWorkers(JobRepository jobs, JobRunner runner, JobsProperties properties, Clock clock, List<JobType> types,
			dev.keel.database.ConnectionSettings listen, Runnable maintenance, Duration shutdownTimeout) {
		this.jobs = jobs;
		this.runner = runner;
		this.properties = properties;
		this.clock = clock;
		this.maintenance = maintenance;
		this.shutdownTimeout = shutdownTimeout;
		this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
		for (JobType type : types) {
			if (properties.excludeTypes().contains(type.name())) {
				continue;
			}
			this.workers.put(type.name(), new TypeWorker(type));
		}
		this.notifications = new JobNotifications(listen, this::wake);
	}

	record Running(long id, int attempt, Thread thread, long startedNanos, long expireNanos) {
	}

	String workerId() {
		return this.workerId;
	}

	int runningCount() {
		return this.running.size();
	}

	/** Wakes the dispatcher of {@code type} (a NOTIFY arrived, or a test moved the clock). */
	void wake(String type) {
		TypeWorker w = this.workers.get(type);
		if (w != null) {
			w.signal();
		}
	}

	void wakeAll() {
		this.workers.values().forEach(TypeWorker::signal);
	}

	@Override
	public void start() {
		this.startTasks.forEach(Runnable::run);
		this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
		this.notifications.reset();
		this.started = true;
		this.completer = Thread.ofPlatform().name("job-completer").daemon().start(this::completeLoop);
		this.listener = Thread.ofPlatform().name("job-listener").daemon().start(this.notifications);
		this.workers.values().forEach(TypeWorker::start);
		this.timers = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("job-timer-", 0).daemon().factory());
		every(this.properties.heartbeatInterval(), this::heartbeat);
		every(this.properties.rescueInterval(), this::rescue);
		every(this.properties.monitorInterval(), this.maintenance);
		this.extraTimers.forEach((t) -> every(t.getKey(), t.getValue()));
		log.info("Job workers started as {} for {} job type(s)", this.workerId, this.workers.size());
	}

	/** Runs {@code task} every {@code interval} once started (schedules, housekeeping). */
	void addTimer(Duration interval, Runnable task) {
		this.extraTimers.add(Map.entry(interval, task));
	}

	/** Runs {@code task} at start, after every bean (and the migrations) is ready. */
	void onStart(Runnable task) {
		this.startTasks.add(task);
	}

	private void every(Duration interval, Runnable task) {
		long ms = Math.max(interval.toMillis(), 10);
		this.timers.scheduleWithFixedDelay(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.warn("Job timer task failed: {}", ex.toString());
			}
		}, ms, ms, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (!this.started) {
			return;
		}
		this.started = false;
		this.workers.values().forEach(TypeWorker::stop);
		this.notifications.stop();
		this.timers.shutdownNow();
		join(this.listener);
		this.workers.values().forEach((w) -> join(w.thread));
		this.executor.shutdown();
		boolean finished = false;
		try {
			finished = this.executor.awaitTermination(this.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.completer.interrupt();
		flushCompleted();
		if (!finished) {
			// Hand the unfinished jobs back first, then interrupt them: whatever their handlers do
			// afterwards can no longer change the released rows (the attempt guard).
			List<Running> left = this.running.values().stream().filter((r) -> r.expireNanos() != Long.MAX_VALUE).toList();
			int released = this.jobs.release(left.stream().mapToLong(Running::id).toArray(), left.stream().mapToInt(Running::attempt).toArray());
			log.warn("Shutdown timeout: released {} unfinished job(s) for immediate retry", released);
			this.executor.shutdownNow();
			try {
				this.executor.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		flushCompleted();
		log.info("Job workers stopped");
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	/** Stops before the web server and the pool: jobs still need the database to record their end. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

	private void heartbeat() {
		long now = System.nanoTime();
		List<Long> alive = new ArrayList<>(this.running.size());
		for (Running r : this.running.values()) {
			if (r.thread() != null && now - r.startedNanos() > r.expireNanos()) {
				// Past its expiry: stop heartbeating so it is rescued, and interrupt the handler.
				r.thread().interrupt();
				continue;
			}
			alive.add(r.id());
		}
		this.jobs.heartbeat(alive.stream().mapToLong(Long::longValue).toArray());
	}

	private void rescue() {
		for (JobRepository.Rescued r : this.jobs.rescue(this.properties.heartbeatTimeout(), 1_000)) {
			if ("dead_letter".equals(r.state())) {
				this.runner.deadLettered(this.runner.type(r.name()), r.id(), r.queue(), r.tenantId(), r.attempt(), "WorkerLost");
			}
			else {
				log.warn("Rescued job {} #{} (worker lost or job expired); retrying", r.name(), r.id());
			}
			wake(r.name());
		}
	}

	private void completeLoop() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				Running first = this.finished.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				List<Running> batch = new ArrayList<>();
				batch.add(first);
				this.finished.drainTo(batch, 4_999);
				record(batch);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void flushCompleted() {
		List<Running> batch = new ArrayList<>();
		this.finished.drainTo(batch);
		if (!batch.isEmpty()) {
			record(batch);
		}
	}

	private void record(List<Running> batch) {
		long[] ids = new long[batch.size()];
		int[] attempts = new int[batch.size()];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = batch.get(i).id();
			attempts[i] = batch.get(i).attempt();
		}
		for (int tries = 1;; tries++) {
			try {
				this.jobs.complete(ids, attempts);
				break;
			}
			catch (RuntimeException ex) {
				if (tries >= 5) {
					// They stay active and are rescued (run again): at-least-once, never lost.
					log.error("Could not record {} completed job(s): {}", ids.length, ex.toString());
					break;
				}
				sleep(200L * tries);
			}
		}
		for (Running r : batch) {
			this.running.remove(r.id());
		}
	}

	/** Claims and runs the jobs of one type with at most {@code concurrency} at once. */
	private final class TypeWorker {

		private final JobType type;

		private final Semaphore slots;

		private final BlockingQueue<Boolean> signals = new ArrayBlockingQueue<>(1);

		private volatile boolean backlog;

		private volatile boolean active = true;

		private Thread thread;

		private final int claimThreshold;

		TypeWorker(JobType type) {
			this.type = type;
			this.slots = new Semaphore(type.concurrency());
			this.claimThreshold = Math.max(1, type.concurrency() / 4);
		}

		void start() {
			this.active = true;
			this.thread = Thread.ofPlatform().name("job-dispatch-" + this.type.name()).daemon().start(this::loop);
		}

		void stop() {
			this.active = false;
			signal();
		}

		void signal() {
			this.signals.offer(Boolean.TRUE);
		}

		private void loop() {
			while (this.active) {
				int free = this.slots.availablePermits();
				if (free == 0 || (this.backlog && free < this.claimThreshold)) {
					// With a backlog, claim in batches: one statement per quarter of the slots, not per finished job.
					await(this.backlog ? BACKLOG_WAIT : JobWorkers.this.properties.pollInterval());
					continue;
				}
				int want = Math.min(free, MAX_CLAIM);
				List<JobRepository.Claimed> claimed;
				try {
					claimed = JobWorkers.this.jobs.claim(this.type.name(), want, JobWorkers.this.clock.instant(), JobWorkers.this.workerId);
				}
				catch (RuntimeException ex) {
					log.warn("Claiming {} jobs failed: {}", this.type.name(), ex.toString());
					await(JobWorkers.this.properties.pollInterval());
					continue;
				}
				this.backlog = claimed.size() == want;
				for (JobRepository.Claimed c : claimed) {
					this.slots.acquireUninterruptibly();
					launch(c);
				}
				if (!this.backlog) {
					await(JobWorkers.this.properties.pollInterval());
				}
			}
		}

		private void launch(JobRepository.Claimed c) {
			long expire = this.type.expireIn().toNanos();
			Running placeholder = new Running(c.job().id(), c.job().attempt(), null, System.nanoTime(), expire);
			JobWorkers.this.running.put(placeholder.id(), placeholder);
			try {
				JobWorkers.this.executor.execute(() -> {
					Running r = new Running(placeholder.id(), placeholder.attempt(), Thread.currentThread(), placeholder.startedNanos(), expire);
					JobWorkers.this.running.put(r.id(), r);
					boolean ok = false;
					try {
						ok = JobWorkers.this.runner.run(this.type, c);
					}
					finally {
						if (ok) {
							JobWorkers.this.running.put(r.id(), new Running(r.id(), r.attempt(), null, r.startedNanos(), Long.MAX_VALUE));
							JobWorkers.this.finished.add(r);
						}
						else {
							JobWorkers.this.running.remove(r.id());
						}
						this.slots.release();
						if (this.backlog && this.slots.availablePermits() >= this.claimThreshold) {
							signal();
						}
					}
				});
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// Shutting down between claim and launch: the job is released with the rest.
				this.slots.release();
			}
		}

		private void await(Duration timeout) {
			try {
				this.signals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.active = false;
			}
		}

	}

	/** Waits briefly for a loop thread to see its stop flag, so a restart never runs two of it. */
	private static void join(Thread thread) {
		if (thread != null) {
			try {
				thread.join(3_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
