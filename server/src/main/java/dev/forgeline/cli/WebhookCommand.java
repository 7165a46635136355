package dev.forgeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.forgeline.cli.WebhookDelivery.Provider;
import dev.forgeline.demo.ForgeHistory;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends signed webhook deliveries to a Forgeline server: to test a connection, or to load recorded payloads. */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Send signed webhook deliveries to a Forgeline server, as a forge would.",
        subcommands = {WebhookCommand.Send.class, WebhookCommand.ReplayDir.class, WebhookCommand.History.class})
class WebhookCommand {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Where to send and how to sign: the answer of POST /api/v1/connections. */
    static class Target {
        @Option(names = "--url", defaultValue = "${FORGELINE_URL:-http://localhost:8080}",
                description = "Forgeline server (default: ${DEFAULT-VALUE}, or FORGELINE_URL).")
        URI url;

        @Option(names = "--provider", required = true, description = "github, gitlab or gitea.")
        String provider;

        @Option(names = "--connection", required = true, description = "Connection id (from POST /api/v1/connections).")
        long connection;

        @Option(names = "--secret", required = true, defaultValue = "${FORGELINE_WEBHOOK_SECRET}",
                description = "The connection's webhook secret (or FORGELINE_WEBHOOK_SECRET).")
        String secret;

        Provider provider(CommandSpec spec) {
            try {
                return Provider.parse(provider);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--provider must be github, gitlab or gitea, not '" + provider + "'");
            }
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Sign and send one payload file.")
    static class Send implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Target target;

        @Option(names = "--event", required = true,
                description = "Event type header: e.g. push, pull_request (GitHub, Gitea) or \"Push Hook\" (GitLab).")
        String event;

        @Parameters(paramLabel = "FILE", description = "JSON payload to send.")
        Path file;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            WebhookDelivery delivery = WebhookDelivery.of(target.provider(spec), event, Files.readAllBytes(file));
            HttpResponse<String> answer = HTTP.send(delivery.request(target.url, target.connection, target.secret),
                    HttpResponse.BodyHandlers.ofString());
            out.printf("%d %s%n", answer.statusCode(), answer.body());
            return answer.statusCode() / 100 == 2 ? 0 : 1;
        }
    }

    @Command(name = "replay-dir", mixinStandardHelpOptions = true,
            description = {"Sign and send every *.json file below a folder, with a progress bar.",
                    "The event type comes from the file's place: GitHub/Gitea payloads in <event>/ folders "
                            + "(as GitHub's documentation keeps them), GitLab payloads named after their kind (push.json, merge_request.json)."})
    static class ReplayDir implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Target target;

        @Option(names = "--event", description = "Send every file as this event type instead.")
        String event;

        @Option(names = "--concurrency", defaultValue = "8", description = "Deliveries in flight at once (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Parameters(paramLabel = "DIR", description = "Folder of JSON payloads.")
        Path folder;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Provider provider = target.provider(spec);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
            }
            Iterator<Outgoing> outgoing = files.stream().map(file -> new Outgoing(file.toString(), () -> WebhookDelivery.of(provider,
                    event != null ? event : eventOf(provider, folder.relativize(file)), Files.readAllBytes(file)))).iterator();
            return sendAll(spec, target, outgoing, files.size(), concurrency);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = {"Generate a realistic forge history (people, pull requests, reviews, pipelines, deployments, "
                    + "incidents) and send it as the forge would, in time order, with a progress bar.",
                    "The same --seed gives the same history; its repositories are named <owner>/…."})
    static class History implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Target target;

        @Option(names = "--owner", defaultValue = "acme", description = "Organisation or group owning the repositories (default: ${DEFAULT-VALUE}).")
        String owner;

        @Option(names = "--repositories", defaultValue = "10", description = "Repositories (default: ${DEFAULT-VALUE}).")
        int repositories;

        @Option(names = "--people", defaultValue = "20", description = "People (default: ${DEFAULT-VALUE}).")
        int people;

        @Option(names = "--teams", defaultValue = "2", description = "Teams; each works in its own repositories (default: ${DEFAULT-VALUE}).")
        int teams;

        @Option(names = "--days", defaultValue = "90", description = "Days of history, ending today (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--pull-requests-per-week", defaultValue = "4",
                description = "Pull requests per repository and week (default: ${DEFAULT-VALUE}).")
        double pullRequestsPerWeek;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--concurrency", defaultValue = "8", description = "Deliveries in flight at once (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Override
        public Integer call() throws InterruptedException {
            Provider provider = target.provider(spec);
            ForgeHistory history;
            try {
                history = new ForgeHistory(new ForgeHistory.Shape(provider.path(), owner, repositories, people, teams,
                        LocalDate.now(ZoneOffset.UTC).minusDays(days), days, pullRequestsPerWeek, 0.5, seed));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            // Counting first keeps the progress bar honest; generating is cheap next to sending.
            long count;
            try (Stream<ForgeHistory.Delivery> all = history.deliveries()) {
                count = all.count();
            }
            try (Stream<ForgeHistory.Delivery> deliveries = history.deliveries()) {
                Iterator<Outgoing> outgoing = deliveries.map(d -> new Outgoing(d.event() + " " + d.deliveryId(),
                        () -> new WebhookDelivery(provider, d.event(), d.deliveryId(), d.body()))).iterator();
                return sendAll(spec, target, outgoing, count, concurrency);
            }
        }
    }

    /** One delivery to send, made when its turn comes, and how to name it in an error line. */
    record Outgoing(String name, DeliverySource source) {
    }

    interface DeliverySource {
        WebhookDelivery make() throws IOException;
    }

    /** Sends deliveries with a bounded number in flight and a progress bar; 0 when every one was accepted. */
    static int sendAll(CommandSpec spec, Target target, Iterator<Outgoing> deliveries, long count, int concurrency)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Semaphore inFlight = new Semaphore(Math.max(1, concurrency));
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Sending").setInitialMax(count)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" deliveries", 1).showSpeed().continuousUpdate().build();
             ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            while (deliveries.hasNext()) {
                Outgoing next = deliveries.next();
                inFlight.acquire();
                senders.submit(() -> {
                    try {
                        WebhookDelivery delivery = next.source().make();
                        HttpResponse<String> answer = HTTP.send(delivery.request(target.url, target.connection, target.secret),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() / 100 == 2) {
                            accepted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                            err.printf("%s: %d %s%n", next.name(), answer.statusCode(), answer.body());
                        }
                    } catch (IOException e) {
                        refused.incrementAndGet();
                        err.printf("%s: %s%n", next.name(), e.getMessage() == null ? e.toString() : e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        bar.step();
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        out.printf("%d sent: %d accepted, %d refused%n", accepted.get() + refused.get(), accepted.get(), refused.get());
        err.flush();
        return refused.get() == 0 ? 0 : 1;
    }

    /** GitHub/Gitea: the folder is the event (pull_request/opened.payload.json); GitLab: the file name is the kind. */
    static String eventOf(Provider provider, Path relative) {
        if (provider == Provider.GITLAB) {
            String kind = relative.getFileName().toString().replaceFirst("\\.json$", "");
            return switch (kind) {
                case "push" -> "Push Hook";
                case "tag_push" -> "Tag Push Hook";
                case "merge_request", "group_merge_request", "service_merge_request" -> "Merge Request Hook";
                case "issue" -> "Issue Hook";
                case "pipeline" -> "Pipeline Hook";
                case "job", "build" -> "Job Hook";
                case "deployment" -> "Deployment Hook";
                case "release" -> "Release Hook";
                case "wiki_page" -> "Wiki Page Hook";
                case "member" -> "Member Hook";
                case "subgroup" -> "Subgroup Hook";
                case "feature_flag" -> "Feature Flag Hook";
                default -> kind.startsWith("note") ? "Note Hook"
                        : kind.startsWith("resource_access_token") ? "Resource Access Token Hook"
                        : kind.replace('_', ' ') + " Hook";
            };
        }
        Path parent = relative.getParent();
        if (parent == null) {
            throw new IllegalArgumentException(relative + " is not in an <event>/ folder: give --event");
        }
        return parent.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
