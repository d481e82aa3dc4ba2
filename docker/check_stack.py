#!/usr/bin/env python3
"""Checks of docker/ that need no container engine; run through docker/check.sh.

static: the compose file, the Dockerfiles, Prometheus, Grafana and MinIO files, each on its own and against each
        other and the repository (config keys, metric names, Maven modules, ports, buckets, paths).
build:  executes the Dockerfile's own COPY/WORKDIR/RUN instructions in a scratch folder (no engine), lays out the
        runtime stage, then runs its ENTRYPOINT as an unprivileged user with no Maven on the PATH.
live:   points a local Prometheus, configured by docker/prometheus/prometheus.yml with the target swapped for the
        given monitor, at a running trainer and evaluates every dashboard query and variable against it.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DOCKER = Path(__file__).resolve().parent
ROOT = DOCKER.parent
COMPOSE = DOCKER / "compose.yaml"
ENV_EXAMPLE = DOCKER / ".env.example"
DOCKERFILES = [DOCKER / "Dockerfile", DOCKER / "Dockerfile.cuda"]
PROMETHEUS = DOCKER / "prometheus" / "prometheus.yml"
DASHBOARDS = DOCKER / "grafana" / "dashboards"
DATASOURCES = DOCKER / "grafana" / "provisioning" / "datasources"
DASHBOARD_PROVIDERS = DOCKER / "grafana" / "provisioning" / "dashboards"
MINIO_INIT = DOCKER / "minio" / "minio-init.sh"
TRAINER_POLICY = DOCKER / "minio" / "trainer-policy.json"

EXPECTED_SERVICES = {"minio", "demo-corpus", "minio-init", "trainer", "prometheus", "grafana"}
# What the monitor exports (trainer.monitor / trainer.actor.RunBoard); the dashboard must show each of them.
DASHBOARD_METRICS = {
    "crisscross_step", "crisscross_epoch", "crisscross_position_in_epoch", "crisscross_loss",
    "crisscross_learning_rate", "crisscross_samples_per_second", "crisscross_collapse_std", "crisscross_ready",
    "crisscross_samples_trained", "crisscross_run_skipped_samples", "crisscross_pipeline_buffer_batches",
    "crisscross_pipeline_load_seconds", "crisscross_pipeline_samples_loaded_per_second",
    "crisscross_pipeline_skipped_total",
    "crisscross_checkpoint_age_seconds", "crisscross_jvm_heap_used_bytes", "crisscross_jvm_heap_max_bytes",
    "crisscross_native_physical_bytes", "crisscross_native_tracked_bytes", "crisscross_restarts_total",
    "crisscross_checkpoint_writes_total",
}
# Series Prometheus adds to every scrape target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless",
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
    "rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes", "abs", "clamp_min", "clamp_max",
    "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "last_over_time", "histogram_quantile",
    "label_replace", "time", "vector", "scalar", "absent", "round", "inf", "nan",
}


class Report:
    def __init__(self):
        self.failures = []
        self.warnings = []

    def ok(self, message):
        print(f"  ok    {message}")

    def fail(self, message):
        self.failures.append(message)
        print(f"  FAIL  {message}")

    def warn(self, message):
        self.warnings.append(message)
        print(f"  WARN  {message}")

    def skip(self, message):
        print(f"  skip  {message}")

    def check(self, condition, message, detail=""):
        if condition:
            self.ok(message)
        else:
            self.fail(message + (f": {detail}" if detail else ""))
        return condition


def section(title):
    print(f"\n== {title}")


def rel(path):
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------------------------
# Readers


def load_yaml(path, report):
    import yaml

    try:
        with open(path, encoding="utf-8") as f:
            value = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        report.fail(f"{rel(path)} is not well-formed YAML: {e}")
        return None
    report.ok(f"{rel(path)} is well-formed YAML")
    return value


def load_json(path, report):
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        report.fail(f"{rel(path)} is not valid JSON: {e}")
        return None
    report.ok(f"{rel(path)} is valid JSON")
    return value


def read_env_file(path):
    values = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ValueError(f"{rel(path)}, line {number}: expected NAME=value")
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip()
    return values


INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(value, env, missing):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error} and $$ on one string."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3)
        present = name in env
        current = env.get(name, "")
        if operator in (":-", "-"):
            use_default = (not present) or (operator == ":-" and current == "")
            return argument if use_default else current
        if operator in (":?", "?"):
            if (not present) or (operator == ":?" and current == ""):
                missing.append(f"{name} ({argument})")
            return current
        return current

    return INTERPOLATION.sub(replace, value)


def interpolate_tree(node, env, missing):
    if isinstance(node, dict):
        return {k: interpolate_tree(v, env, missing) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate_tree(v, env, missing) for v in node]
    if isinstance(node, str):
        return interpolate(node, env, missing)
    return node


def reference_keys(path, prefix=()):
    """Every key path of a HOCON file written the way config/reference.conf is (blocks, key = value lines, and
    include classpath("crisscross/config/...") lines, read from the config/ folder)."""
    keys, stack = set(), list(prefix)
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = strip_hocon_comment(raw).strip()
        if not line:
            continue
        included = re.fullmatch(r'include\s+classpath\("crisscross/config/([^"]+)"\)', line)
        if included:
            keys |= reference_keys(ROOT / "config" / included.group(1), tuple(stack))
            continue
        if line == "}":
            if len(stack) == len(prefix):
                raise ValueError(f"{rel(path)}, line {number}: unbalanced }}")
            stack.pop()
            continue
        block = re.fullmatch(r'([A-Za-z0-9_.\-"]+)\s*\{', line)
        if block:
            stack.append(block.group(1).strip('"'))
            keys.add(".".join(stack))
            continue
        pair = re.fullmatch(r'([A-Za-z0-9_.\-"]+)\s*[=:]\s*(.+)', line)
        if not pair:
            raise ValueError(f"{rel(path)}, line {number}: not a key = value line: {raw.strip()}")
        keys.add(".".join(stack + [pair.group(1).strip('"')]))
    if len(stack) != len(prefix):
        raise ValueError(f"{rel(path)}: unclosed block {'.'.join(stack)}")
    return keys


def strip_hocon_comment(line):
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif not quoted and (ch == "#" or line.startswith("//", i)):
            return line[:i]
    return line


class Dockerfile:
    """The instructions of a Dockerfile grouped by stage, with line continuations joined."""

    def __init__(self, path):
        self.path = Path(path)
        self.global_args = {}
        self.stages = []
        pending, ignores = "", set()
        for raw in self.path.read_text(encoding="utf-8").splitlines():
            stripped = raw.strip()
            if not pending and stripped.startswith("#"):
                found = re.match(r"#\s*hadolint\s+ignore=([A-Z0-9,]+)", stripped)
                if found:
                    ignores |= set(found.group(1).split(","))
                continue
            if pending and stripped.startswith("#"):
                continue
            if not stripped and not pending:
                continue
            if stripped.endswith("\\"):
                pending += stripped[:-1] + " "
                continue
            line = (pending + stripped).strip()
            pending = ""
            keyword, _, rest = line.partition(" ")
            self._add(keyword.upper(), rest.strip(), ignores)
            ignores = set()

    def _add(self, keyword, rest, ignores):
        if keyword == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(self.stages))
            self.stages.append({"name": name, "from": parts[0], "instructions": []})
        elif not self.stages:
            if keyword != "ARG":
                raise ValueError(f"{rel(self.path)}: {keyword} before the first FROM")
            name, _, default = rest.partition("=")
            self.global_args[name] = default
        else:
            self.stages[-1]["instructions"].append((keyword, rest, ignores))

    def base_image(self, stage):
        image = stage["from"]
        return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: self.global_args.get(m.group(1), m.group(0)),
                      image)

    def stage(self, name):
        return next(s for s in self.stages if s["name"] == name)

    def final(self):
        return self.stages[-1]

    def all(self, keyword, stage=None):
        stages = [stage] if stage else self.stages
        return [rest for s in stages for (k, rest, _) in s["instructions"] if k == keyword]


def exec_form(rest):
    try:
        value = json.loads(rest)
    except ValueError:
        return None
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def copy_arguments(rest):
    words = shlex.split(rest)
    flags = {w.split("=", 1)[0]: w.split("=", 1)[1] if "=" in w else "" for w in words if w.startswith("--")}
    paths = [w for w in words if not w.startswith("--")]
    return flags, paths[:-1], paths[-1]


def parse_env(rest):
    words = shlex.split(rest)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(w.split("=", 1) for w in words)


def settings_from_arguments(arguments):
    """--set key=value and --config NAME from a crisscross command line."""
    sets, configs = {}, []
    for i, word in enumerate(arguments):
        if word == "--set" and i + 1 < len(arguments):
            key, _, value = arguments[i + 1].partition("=")
            sets[key] = value
        elif word == "--config" and i + 1 < len(arguments):
            configs.append(arguments[i + 1])
    return sets, configs


def maven_modules():
    text = (ROOT / "pom.xml").read_text(encoding="utf-8")
    return re.findall(r"<module>\s*([^<\s]+)\s*</module>", text)


def source_metric_names():
    """Metric names written as string literals in the Java sources (the registry takes them verbatim)."""
    names = set()
    for module in maven_modules():
        for java in (ROOT / module / "src" / "main" / "java").rglob("*.java"):
            names |= set(re.findall(r'"(crisscross_[a-z0-9_]*[a-z0-9])"', java.read_text(encoding="utf-8")))
    return names


def metric_names(expr):
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    without_labels = re.sub(r"\{[^}]*\}", "{}", without_strings)
    without_ranges = re.sub(r"\[[^\]]*\]", "[]", without_labels)
    names = set()
    for match in re.finditer(r"(?<![A-Za-z0-9_:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![A-Za-z0-9_:])(?!\s*\()",
                             without_ranges):
        word = match.group(1)
        if word.lower() not in PROMQL_WORDS and not word.startswith("__"):
            names.add(word)
    return names


# ---------------------------------------------------------------------------------------------------------------
# Static checks


def check_static(report, args):
    import yaml  # noqa: F401  (a clear ImportError before any output if PyYAML is missing)

    section("env file")
    env = read_env_file(ENV_EXAMPLE)
    report.ok(f"{rel(ENV_EXAMPLE)} parses ({len(env)} settings)")
    report.check("dev-only" in ENV_EXAMPLE.read_text(encoding="utf-8").lower(),
                 ".env.example labels its credentials as dev-only")
    gitignore = (DOCKER / ".gitignore").read_text(encoding="utf-8").split() if (DOCKER / ".gitignore").exists() else []
    report.check(".env" in gitignore, "docker/.gitignore keeps docker/.env out of git")
    if shutil.which("git"):
        tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "docker/.env"], capture_output=True, text=True)
        report.check(tracked.stdout.strip() == "", "no docker/.env is committed")

    section("compose.yaml")
    raw_text = COMPOSE.read_text(encoding="utf-8")
    raw = load_yaml(COMPOSE, report)
    if raw is None:
        return
    referenced = {m.group(1) or m.group(4) for m in INTERPOLATION.finditer(raw_text) if m.group(0) != "$$"}
    report.check(referenced <= set(env), "every ${VAR} in compose.yaml has a line in .env.example",
                 ", ".join(sorted(referenced - set(env))))
    report.check(set(env) <= referenced, "every .env.example setting is used by compose.yaml",
                 ", ".join(sorted(set(env) - referenced)))
    missing = []
    compose = interpolate_tree(raw, env, missing)
    report.check(not missing, "compose.yaml interpolates with .env.example alone", "; ".join(missing))
    missing_without_env = []
    interpolate_tree(raw, {}, missing_without_env)
    report.check(bool(missing_without_env), "compose.yaml refuses to start without docker/.env (required secrets)")
    check_compose_schema(report, compose, args)

    services = compose.get("services", {})
    report.check(set(services) == EXPECTED_SERVICES, "services are " + ", ".join(sorted(EXPECTED_SERVICES)),
                 "found " + ", ".join(sorted(services)))
    dockerfile_by_service, built_images = {}, {}
    for name, service in services.items():
        image = service.get("image", "")
        if "build" in service:
            build = service["build"]
            context = (DOCKER / build.get("context", ".")).resolve()
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            report.check(dockerfile.is_file(), f"{name}: build {rel(dockerfile)} exists")
            dockerfile_by_service[name] = dockerfile
            report.check(image not in built_images, f"{name}: the only service building {image}")
            built_images[image] = dockerfile
        else:
            report.check(bool(re.search(r"(:[^/:]+|@sha256:[0-9a-f]{64})$", image)) and not image.endswith(":latest"),
                         f"{name}: image {image} is pinned to a version")
    for name, service in services.items():
        image = service.get("image", "")
        if "build" not in service and image in built_images:
            report.check(service.get("pull_policy") == "never",
                         f"{name}: uses {image} built by another service and never pulls it")
            dockerfile_by_service[name] = built_images[image]
    parsed_dockerfiles = {path: Dockerfile(path) for path in set(dockerfile_by_service.values())}

    for name, service in services.items():
        for dependency, spec in normalise_depends_on(service.get("depends_on")).items():
            if not report.check(dependency in services, f"{name}: depends on an existing service ({dependency})"):
                continue
            condition = spec.get("condition", "service_started")
            target = services[dependency]
            if condition == "service_healthy":
                has_check = "test" in target.get("healthcheck", {}) or (
                    dependency in dockerfile_by_service
                    and parsed_dockerfiles[dockerfile_by_service[dependency]].all("HEALTHCHECK"))
                report.check(has_check and not target.get("healthcheck", {}).get("disable"),
                             f"{name}: waits for {dependency} to be healthy, and {dependency} has a healthcheck")
            elif condition == "service_completed_successfully":
                report.check(str(target.get("restart", "no")) == "no",
                             f"{name}: waits for one-shot {dependency} to complete (restart: no)")
        for mount in service.get("volumes", []):
            source, target = mount.split(":")[0], mount.split(":")[1]
            if source.startswith((".", "/")):
                report.check((DOCKER / source).exists(), f"{name}: bind mount {source} exists")
            else:
                report.check(source in (compose.get("volumes") or {}), f"{name}: volume {source} is declared")
        restart = str(service.get("restart", "no"))
        report.check(re.fullmatch(r"no|always|unless-stopped|on-failure(:\d+)?", restart) is not None,
                     f"{name}: restart policy {restart} is one Docker knows")
        for port in service.get("ports", []):
            report.check(str(port).startswith("127.0.0.1:"), f"{name}: port {port} is published on loopback only")
    check_dependency_cycles(report, services)

    trainer, corpus_job, init = services.get("trainer", {}), services.get("demo-corpus", {}), services.get("minio-init", {})
    sets, configs = settings_from_arguments(trainer.get("command", []))
    section("crisscross command lines against config/reference.conf")
    reference = reference_keys(ROOT / "config" / "reference.conf")
    report.ok(f"config/reference.conf parses ({len(reference)} keys)")
    for key in sorted(sets):
        report.check(key in reference, f"trainer: --set {key} is a configuration key")
    for config in configs:
        report.check((ROOT / "config" / (config if config.endswith(".conf") else config + ".conf")).is_file(),
                     f"trainer: --config {config} is a configuration crisscross ships")
    for path, dockerfile in parsed_dockerfiles.items():
        cmd = exec_form(dockerfile.all("CMD", dockerfile.final())[-1]) or []
        for key in settings_from_arguments(cmd)[0]:
            report.check(key in reference, f"{rel(path)}: CMD --set {key} is a configuration key")

    section("ports, paths, buckets and credentials agree")
    monitor_port = sets.get("monitor.port", "")
    report.check(sets.get("monitor.host") == "0.0.0.0", "trainer: monitor listens on every interface")
    report.check(f"127.0.0.1:{monitor_port}:{monitor_port}" in trainer.get("ports", []),
                 f"trainer: monitor port {monitor_port} is published")
    trainer_dockerfile = parsed_dockerfiles.get(dockerfile_by_service.get("trainer"))
    if trainer_dockerfile:
        final = trainer_dockerfile.final()
        report.check(monitor_port in trainer_dockerfile.all("EXPOSE", final), f"image EXPOSEs {monitor_port}")
        report.check(any(f":{monitor_port}/health" in h for h in trainer_dockerfile.all("HEALTHCHECK", final)),
                     f"image HEALTHCHECK probes /health on {monitor_port}")
        workdir = trainer_dockerfile.all("WORKDIR", final)[-1]
        report.check(any(v.startswith(f"{workdir}/runs:") or f'"{workdir}/runs"' in v
                         for v in trainer_dockerfile.all("VOLUME", final)), f"image declares {workdir}/runs a volume")
        report.check(any(m == f"runs:{workdir}/runs" for m in trainer.get("volumes", [])),
                     f"trainer: a named volume holds {workdir}/runs")
        check_corpus_path(report, corpus_job, init, workdir)
    endpoint = sets.get("data.s3.endpoint", "")
    host = re.match(r"https?://([^:/]+):?(\d*)", endpoint)
    report.check(bool(host) and host.group(1) in services, f"trainer: S3 endpoint {endpoint} is a compose service")
    report.check(sets.get("data.s3.path-style") == "true", "trainer: path-style S3 addressing (MinIO)")
    report.check(not sets.get("data.s3.access-key-id") and not sets.get("data.s3.secret-access-key"),
                 "trainer: no S3 credentials on the command line")
    trainer_env, init_env = trainer.get("environment", {}), init.get("environment", {})
    raw_trainer_env = raw["services"]["trainer"].get("environment", {})
    raw_init_env = raw["services"]["minio-init"].get("environment", {})
    report.check(raw_trainer_env.get("AWS_ACCESS_KEY_ID") == raw_init_env.get("CRISSCROSS_S3_ACCESS_KEY")
                 and raw_trainer_env.get("AWS_SECRET_ACCESS_KEY") == raw_init_env.get("CRISSCROSS_S3_SECRET_KEY"),
                 "trainer's AWS credentials are the user minio-init creates")
    report.check(trainer_env.get("AWS_ACCESS_KEY_ID") != env.get("MINIO_ROOT_USER"),
                 "trainer does not use the MinIO root account")
    check_buckets(report, sets)

    section("Dockerfiles")
    for path in DOCKERFILES:
        lint_dockerfile(report, Dockerfile(path))
    check_dockerfiles_in_step(report, Dockerfile(DOCKERFILES[0]), Dockerfile(DOCKERFILES[1]))

    section("Prometheus")
    prometheus = load_yaml(PROMETHEUS, report)
    if prometheus:
        jobs = prometheus.get("scrape_configs", [])
        targets = [t for job in jobs for group in job.get("static_configs", []) for t in group.get("targets", [])]
        report.check(f"trainer:{monitor_port}" in targets, f"Prometheus scrapes trainer:{monitor_port}")
        job = next((j for j in jobs if f"trainer:{monitor_port}" in
                    [t for g in j.get("static_configs", []) for t in g.get("targets", [])]), {})
        interval = job.get("scrape_interval", prometheus.get("global", {}).get("scrape_interval"))
        report.check(interval == "5s", "the trainer is scraped every 5 s", f"got {interval}")
        report.check(job.get("metrics_path", "/metrics") == "/metrics", "scrape path is /metrics")
        mounts = services.get("prometheus", {}).get("volumes", [])
        report.check(any(m.startswith("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml") for m in mounts),
                     "compose mounts this file where the Prometheus command reads it")

    section("Grafana")
    check_grafana(report, services, args)

    section("MinIO init script")
    text = MINIO_INIT.read_text(encoding="utf-8")
    report.check(text.startswith("#!/bin/sh") and "set -eu" in text, "minio-init.sh is POSIX sh with set -eu")
    report.check("minio-init.sh" in " ".join(init.get("entrypoint", [])), "minio-init runs minio-init.sh")


def normalise_depends_on(value):
    if not value:
        return {}
    if isinstance(value, list):
        return {name: {} for name in value}
    return value


def check_dependency_cycles(report, services):
    state = {}

    def visit(name, path):
        if state.get(name) == "done":
            return True
        if state.get(name) == "open":
            report.fail("depends_on cycle: " + " -> ".join(path + [name]))
            return False
        state[name] = "open"
        result = all(visit(d, path + [name]) for d in normalise_depends_on(services[name].get("depends_on"))
                     if d in services)
        state[name] = "done"
        return result

    if all(visit(name, []) for name in services):
        report.ok("depends_on has no cycle")


def check_compose_schema(report, compose, args):
    schema_path = args.compose_schema or os.environ.get("COMPOSE_SPEC_SCHEMA")
    if not schema_path:
        report.skip("compose-spec JSON schema: set COMPOSE_SPEC_SCHEMA=path/to/compose-spec.json "
                    "(schema/compose-spec.json of github.com/compose-spec/compose-spec)")
        return
    try:
        import jsonschema
    except ImportError:
        report.skip("compose-spec JSON schema: python3 module jsonschema is missing")
        return
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    report.check(not errors, f"compose.yaml validates against the compose-spec schema ({schema_path})",
                 "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]))


def check_corpus_path(report, corpus_job, init, workdir):
    """synth --out (in the image) -> named volume -> minio-init mount -> the folder mc mirrors."""
    command = corpus_job.get("command", [])
    out = command[command.index("--out") + 1] if "--out" in command else ""
    out_abs = out if out.startswith("/") else f"{workdir}/{out}"
    volume, inside = None, None
    for mount in corpus_job.get("volumes", []):
        source, target = mount.split(":")[:2]
        if out_abs.startswith(target.rstrip("/") + "/"):
            volume, inside = source, out_abs[len(target.rstrip("/")) + 1:]
    if not report.check(volume is not None, f"demo-corpus: synth --out {out} lands in a named volume"):
        return
    init_target = next((m.split(":")[1] for m in init.get("volumes", []) if m.split(":")[0] == volume), None)
    if not report.check(init_target is not None, f"minio-init mounts the {volume} volume"):
        return
    expected = f"{init_target.rstrip('/')}/{inside}"
    mirror = re.search(r"mc mirror [^\n]*?(\S+)\s+local/(\S+)", MINIO_INIT.read_text(encoding="utf-8"))
    report.check(bool(mirror) and mirror.group(1) == expected,
                 f"minio-init uploads {expected}, the folder synth wrote",
                 f"mc mirror reads {mirror.group(1) if mirror else '(no mc mirror line)'}")
    report.check(f"{expected}/manifest.csv" in MINIO_INIT.read_text(encoding="utf-8"),
                 "minio-init refuses to run without the corpus manifest")


def check_buckets(report, sets):
    script = MINIO_INIT.read_text(encoding="utf-8")
    made = set(re.findall(r"local/([a-z0-9.\-]+)", " ".join(l for l in script.splitlines() if "mc mb" in l)))
    mirror = re.search(r"mc mirror [^\n]*\s+local/(\S+)", script)
    policy = json.loads(TRAINER_POLICY.read_text(encoding="utf-8"))
    resources = [r for s in policy["Statement"] if s["Effect"] == "Allow" for r in s["Resource"]]

    def allowed(action, resource):
        for statement in policy["Statement"]:
            if statement["Effect"] != "Allow" or action not in statement["Action"]:
                continue
            if any(resource == r or (r.endswith("*") and resource.startswith(r[:-1])) for r in statement["Resource"]):
                return True
        return False

    for key, actions in (("data.root", ["s3:ListBucket", "s3:GetObject"]),
                         ("checkpoint.dir", ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"])):
        location = re.match(r"s3://([^/]+)/?(.*)", sets.get(key, ""))
        if not report.check(bool(location), f"trainer: {key} is on S3 ({sets.get(key)})"):
            continue
        bucket, prefix = location.group(1), location.group(2)
        report.check(bucket in made, f"minio-init creates bucket {bucket} ({key})")
        for action in actions:
            resource = f"arn:aws:s3:::{bucket}" if action == "s3:ListBucket" else f"arn:aws:s3:::{bucket}/{prefix}/x"
            report.check(allowed(action, resource), f"trainer policy allows {action} on {key}")
        if key == "data.root":
            report.check(bool(mirror) and mirror.group(1).rstrip("/") == f"{bucket}/{prefix}".rstrip("/"),
                         f"minio-init uploads the corpus to {sets.get(key)}")
    report.check(not allowed("s3:PutObject", "arn:aws:s3:::data/demo/x"), "trainer policy keeps the data read-only")
    report.check(all(r.startswith("arn:aws:s3:::") and r != "arn:aws:s3:::*" for r in resources),
                 "trainer policy names its buckets (no wildcard bucket)")


def lint_dockerfile(report, dockerfile):
    """The hadolint rules that apply to these files, checked by hand-written code (hadolint is not installed)."""
    name = rel(dockerfile.path)
    final = dockerfile.final()
    stage_names = [s["name"] for s in dockerfile.stages]
    for stage in dockerfile.stages:
        image = dockerfile.base_image(stage)
        if image in stage_names:
            continue
        report.check(bool(re.search(r":[^/:]+$|@sha256:", image)) and not image.endswith(":latest"),
                     f"{name}: FROM {image} is pinned (DL3006/DL3007)")
    report.check("alpine" not in dockerfile.base_image(final), f"{name}: runtime base is glibc-based, not Alpine")
    users = dockerfile.all("USER", final)
    report.check(bool(users) and users[-1] not in ("root", "0"), f"{name}: runs as a non-root user (DL3002)")
    for stage in dockerfile.stages:
        shell_pipefail = False
        for keyword, rest, ignores in stage["instructions"]:
            where = f"{name} [{stage['name']}] {keyword} {rest[:50]}"
            if keyword == "SHELL":
                shell_pipefail = "pipefail" in rest
            if keyword == "WORKDIR":
                report.check(rest.startswith("/"), f"{where}: absolute WORKDIR (DL3000)")
            if keyword == "ADD":
                report.fail(f"{where}: use COPY, not ADD (DL3020)")
            if keyword == "COPY":
                flags, sources, _ = copy_arguments(rest)
                if "--from" not in flags and any(s in (".", "./") for s in sources):
                    report.fail(f"{where}: copies the whole context; copy named paths so host build outputs stay out")
            if keyword in ("ENTRYPOINT", "CMD"):
                report.check(exec_form(rest) is not None, f"{name}: {keyword} in JSON (exec) form (DL3025)")
            if keyword == "RUN":
                check_run(report, where, rest, ignores, shell_pipefail)
            if keyword == "MAINTAINER":
                report.fail(f"{where}: MAINTAINER is deprecated (DL4000)")
    report.check(exec_form(dockerfile.all("ENTRYPOINT", final)[-1]) == ["./crisscross"],
                 f"{name}: ENTRYPOINT is the launcher")
    report.check(bool(dockerfile.all("HEALTHCHECK", final)), f"{name}: has a HEALTHCHECK")
    healthcheck = dockerfile.all("HEALTHCHECK", final)[-1] if dockerfile.all("HEALTHCHECK", final) else ""
    report.check("--start-period" in healthcheck and "/health" in healthcheck,
                 f"{name}: HEALTHCHECK probes /health after a start period")
    check_build_stage_copies(report, dockerfile)


def check_run(report, where, command, ignores, shell_pipefail):
    if re.search(r"(^|[;&|]\s*)cd\s", command):
        report.fail(f"{where}: cd in RUN; use WORKDIR (DL3003)")
    if re.search(r"\bsudo\b", command):
        report.fail(f"{where}: sudo in RUN (DL3004)")
    if re.search(r"[^|]\|[^|]", command) and not shell_pipefail:
        report.fail(f"{where}: a pipe without SHELL [... -o pipefail ...] (DL4006)")
    if re.search(r"\buseradd\b", command) and not re.search(r"\s(-l|--no-log-init)\b", command):
        report.fail(f"{where}: useradd without --no-log-init bloats the image with a sparse lastlog (DL3046)")
    if "apt-get install" in command:
        report.check("--no-install-recommends" in command, f"{where}: --no-install-recommends (DL3015)")
        report.check(re.search(r"apt-get install[^&;]*\s(-y|--yes|--assume-yes)\b", command) is not None,
                     f"{where}: non-interactive install (DL3014)")
        report.check("rm -rf /var/lib/apt/lists/*" in command, f"{where}: apt lists removed in the same layer (DL3009)")
        report.check("apt-get update" in command, f"{where}: apt-get update in the same RUN as install")
        packages = re.sub(r".*apt-get install", "", command).split("&&")[0].split()
        unpinned = [p for p in packages if not p.startswith("-") and "=" not in p]
        if unpinned and "DL3008" not in ignores:
            report.fail(f"{where}: unpinned apt packages {unpinned} without a reasoned '# hadolint ignore=DL3008'")
    if re.search(r"\b(curl|wget)\s[^&;|]*(https?://|\$\{?[A-Z_]*URL)", command) and "sha256sum" not in command:
        report.fail(f"{where}: a download without a checksum check")


def check_build_stage_copies(report, dockerfile):
    """Every Maven module reaches the build stage, through paths the .dockerignore lets into the context."""
    name = rel(dockerfile.path)
    build = dockerfile.stage("build")
    sources = [s for rest in dockerfile.all("COPY", build) for s in copy_arguments(rest)[1]]
    for module in maven_modules():
        report.check(f"{module}/pom.xml" in sources and f"{module}/src" in sources,
                     f"{name}: module {module} (pom and src) is copied into the build")
    report.check("pom.xml" in sources and "config" in sources and "crisscross" in sources,
                 f"{name}: root pom, config/ and the launcher are copied into the build")
    ignore = Path(str(dockerfile.path) + ".dockerignore")
    if not report.check(ignore.is_file(), f"{name}: has its own {ignore.name}"):
        return
    allowed = {l.strip()[1:].rstrip("/") for l in ignore.read_text(encoding="utf-8").splitlines()
               if l.strip().startswith("!")}
    report.check(all(s.rstrip("/") in allowed for s in sources), f"{ignore.name} lets every copied path in",
                 ", ".join(s for s in sources if s.rstrip("/") not in allowed))


def check_dockerfiles_in_step(report, cpu, cuda):
    def runtime(dockerfile):
        final = dockerfile.final()
        keep = ("COPY", "ENTRYPOINT", "CMD", "EXPOSE", "VOLUME", "USER", "WORKDIR")
        lines = [(k, r) for k, r, _ in final["instructions"] if k in keep and not r.startswith("--from=jre")]
        env = [r for k, r, _ in final["instructions"] if k == "ENV" and "CRISSCROSS_JAVA_OPTS" in r]
        return lines, env

    report.check(runtime(cpu) == runtime(cuda), "Dockerfile and Dockerfile.cuda lay out the same runtime "
                 "(copies, user, volume, port, Java options, entrypoint, command)")
    cpu_runs = [r for r in cpu.all("RUN", cpu.stage("build"))]
    cuda_runs = [r.replace(" -Pcuda", "") for r in cuda.all("RUN", cuda.stage("build"))]
    report.check(cpu_runs == cuda_runs and all("-Pcuda" in r for r in cuda.all("RUN", cuda.stage("build"))),
                 "the CUDA build runs the CPU build's Maven commands with -Pcuda")
    report.check(cpu.all("COPY", cpu.stage("build")) == cuda.all("COPY", cuda.stage("build")),
                 "both builds copy the same sources")


def check_grafana(report, services, args):
    datasources = [d for f in sorted(DATASOURCES.glob("*.y*ml")) for d in (load_yaml(f, report) or {}).get("datasources", [])]
    uids = {d.get("uid") for d in datasources if d.get("type") == "prometheus"}
    report.check(any(d.get("url") == "http://prometheus:9090" for d in datasources),
                 "the datasource points at the compose service prometheus:9090")
    providers = [p for f in sorted(DASHBOARD_PROVIDERS.glob("*.y*ml")) for p in (load_yaml(f, report) or {}).get("providers", [])]
    mounts = services.get("grafana", {}).get("volumes", [])
    dashboards_target = next((m.split(":")[1] for m in mounts if m.split(":")[0] == "./grafana/dashboards"), None)
    report.check(any(p.get("options", {}).get("path") == dashboards_target for p in providers),
                 f"the dashboard provider reads {dashboards_target}, where compose mounts grafana/dashboards")
    report.check(any(m.startswith("./grafana/provisioning:/etc/grafana/provisioning") for m in mounts),
                 "compose mounts the provisioning folder at /etc/grafana/provisioning")
    home = services.get("grafana", {}).get("environment", {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", "")
    if dashboards_target and home:
        report.check(home.startswith(dashboards_target + "/")
                     and (DASHBOARDS / home[len(dashboards_target) + 1:]).is_file(), "the home dashboard file exists")

    known = source_metric_names() if (ROOT / "pom.xml").is_file() else set()
    if known:
        missing_in_code = DASHBOARD_METRICS - known
        report.check(not missing_in_code, f"the {len(DASHBOARD_METRICS)} monitor metrics the dashboard must show "
                     "are all registered in the Java sources", ", ".join(sorted(missing_in_code)))
    else:
        report.warn("no Java sources next to docker/: metric names checked against the built-in list only")
        known = set(DASHBOARD_METRICS)
    rules = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        dashboard = load_json(path, report)
        if dashboard is None:
            continue
        panels = dashboard.get("panels", [])
        ids = [p.get("id") for p in panels]
        report.check(len(ids) == len(set(ids)), f"{path.name}: panel ids are unique")
        report.check(all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in panels), f"{path.name}: panels fit 24 columns")
        report.check(not overlapping(panels), f"{path.name}: panels do not overlap")
        refs = [t.get("datasource", {}).get("uid") for p in panels for t in p.get("targets", [])]
        refs += [p.get("datasource", {}).get("uid") for p in panels]
        refs += [v.get("datasource", {}).get("uid") for v in dashboard.get("templating", {}).get("list", [])
                 if v.get("type") == "query"]
        report.check(set(refs) <= uids, f"{path.name}: every query uses the provisioned datasource {sorted(uids)}",
                     ", ".join(sorted(set(map(str, refs)) - uids)))
        used = set()
        for panel in panels:
            for t in panel.get("targets", []):
                expr = t.get("expr", "")
                names = metric_names(expr)
                unknown = names - known - PROMETHEUS_SERIES
                report.check(not unknown, f"{path.name} '{panel['title']}': {expr}", "unknown metric " + ", ".join(sorted(unknown)))
                used |= names
                rules.append(expr)
        for v in dashboard.get("templating", {}).get("list", []):
            query = v.get("query", {})
            query = query.get("query", "") if isinstance(query, dict) else query
            found = re.fullmatch(r"label_values\((\w+),\s*\w+\)", query)
            report.check(bool(found) and found.group(1) in known, f"{path.name} variable ${v['name']}: {query}")
        missing = DASHBOARD_METRICS - used
        report.check(not missing, f"{path.name}: a panel for each of the {len(DASHBOARD_METRICS)} monitor metrics",
                     "no panel for " + ", ".join(sorted(missing)))
    check_promql(report, rules, args)


def overlapping(panels):
    cells = set()
    for p in panels:
        g = p["gridPos"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    return True
                cells.add((x, y))
    return False


def check_promql(report, expressions, args):
    promtool = shutil.which("promtool")
    if not promtool:
        report.skip("PromQL syntax of the dashboard queries: promtool is not installed (apt-get install prometheus)")
        return
    groups = [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": grafana_to_promql(e)} for i, e in enumerate(expressions)]}]
    import yaml

    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump({"groups": groups}, f)
    result = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
    os.unlink(f.name)
    report.check(result.returncode == 0, f"promtool parses all {len(expressions)} dashboard queries as PromQL",
                 (result.stdout + result.stderr).strip()[-400:])


def grafana_to_promql(expr):
    return (expr.replace("$__rate_interval", "1m").replace("$__interval", "15s")
            .replace("$instance", ".*").replace("${instance}", ".*"))


# ---------------------------------------------------------------------------------------------------------------
# Build emulation


SHIM_USER_TOOLS = r"""#!/bin/sh
# Stand-in for {tool} while emulating a Dockerfile RUN: the image's user is mapped to an unprivileged host user.
set -eu
tool={tool}
case "$tool" in
  groupadd) echo "(emulated) groupadd $*" ;;
  useradd)
    echo "(emulated) useradd $*"
    home=""; create=0
    while [ $# -gt 0 ]; do
      case "$1" in
        --home-dir|-d) home="$2"; shift ;;
        --create-home|-m) create=1 ;;
      esac
      shift
    done
    if [ "$create" = 1 ] && [ -n "$home" ]; then
      mkdir -p "$EMULATED_ROOTFS$home"
      chown "$EMULATED_UID:$EMULATED_GID" "$EMULATED_ROOTFS$home" 2>/dev/null || true
    fi ;;
  chown)
    owner="$1"; shift
    mapped=$(echo "$owner" | sed "s/^$EMULATED_USER:$EMULATED_USER\$/$EMULATED_UID:$EMULATED_GID/; s/^$EMULATED_USER\$/$EMULATED_UID/")
    if [ "$(id -u)" = 0 ]; then exec /bin/chown "$mapped" "$@"; fi
    echo "(emulated) chown $owner $* skipped: not root" ;;
esac
"""

MVN_ABSENT = """#!/bin/sh
echo "mvn: the runtime image has no Maven; the launcher tried to build inside the container" >&2
exit 127
"""

LIMITS_JAVA = r"""
public class Limits {
  public static void main(String[] args) throws Exception {
    long heap = Runtime.getRuntime().maxMemory();
    System.out.printf("heap %d maxBytes %d maxPhysicalBytes %d%n", heap,
        org.bytedeco.javacpp.Pointer.maxBytes(), org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
    org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
    System.out.printf("ffmpeg avutil %d%n", org.bytedeco.ffmpeg.global.avutil.avutil_version());
    System.out.printf("nd4j sum %s%n", org.nd4j.linalg.factory.Nd4j.create(new float[] {1, 2, 3}).sumNumber());
  }
}
"""


def substitute(text, variables):
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)",
                  lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), text)


def copy_into(source, destination):
    if source.is_dir():
        shutil.copytree(source, destination, symlinks=True, dirs_exist_ok=True)
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def run_stage(report, dockerfile, stage, rootfs, stage_roots, shims, offline):
    variables = dict(dockerfile.global_args)
    environment = dict(os.environ)
    workdir = "/"
    shell = ["/bin/sh", "-c"]
    for keyword, rest, _ in stage["instructions"]:
        if keyword == "ARG":
            name, _, default = rest.partition("=")
            variables[name] = default
        elif keyword == "ENV":
            values = {k: substitute(v, variables) for k, v in parse_env(rest).items()}
            variables.update(values)
            environment.update(values)
        elif keyword == "WORKDIR":
            workdir = substitute(rest, variables)
            (rootfs / workdir.lstrip("/")).mkdir(parents=True, exist_ok=True)
            if offline and stage["name"] == "build":
                (rootfs / workdir.lstrip("/") / ".mvn").mkdir(exist_ok=True)
                (rootfs / workdir.lstrip("/") / ".mvn" / "maven.config").write_text("-o\n")
        elif keyword == "SHELL":
            shell = exec_form(rest)
        elif keyword == "COPY":
            flags, sources, target = copy_arguments(substitute(rest, variables))
            base = stage_roots[flags["--from"]] if "--from" in flags else ROOT
            destination = Path(target) if target.startswith("/") else Path(workdir) / target
            for source in sources:
                origin = base / source.lstrip("/") if "--from" in flags else ROOT / source
                if not origin.exists():
                    report.fail(f"[{stage['name']}] COPY {source}: missing")
                    return False
                place = rootfs / str(destination).lstrip("/")
                if target.endswith("/") or len(sources) > 1:
                    place = place / origin.name
                copy_into(origin, place)
            print(f"  [{stage['name']}] COPY {rest}")
        elif keyword == "RUN":
            command = substitute(rest, variables) if exec_form(rest) is None else rest
            print(f"  [{stage['name']}] RUN {command}")
            run_env = dict(environment)
            if shims:
                run_env["PATH"] = f"{shims}:{run_env.get('PATH', '')}"
            result = subprocess.run(shell + [command], cwd=rootfs / workdir.lstrip("/"), env=run_env)
            if not report.check(result.returncode == 0, f"[{stage['name']}] RUN exits 0", f"exit {result.returncode}"):
                return False
    return True


def check_build(report, args):
    dockerfile = Dockerfile(args.dockerfile)
    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="crisscross-docker-build-"))
    scratch.mkdir(parents=True, exist_ok=True)
    os.chmod(scratch, 0o755)
    print(f"  scratch folder {scratch}")
    section(f"build stage of {rel(dockerfile.path)} (the image build without an engine)")
    final = dockerfile.final()
    stage_roots = {}
    user = (dockerfile.all("USER", final) or ["root"])[-1]
    uid, gid = args.uid, args.gid
    shims = scratch / "shims"
    shims.mkdir(exist_ok=True)
    for tool in ("groupadd", "useradd", "chown"):
        (shims / tool).write_text(SHIM_USER_TOOLS.replace("{tool}", tool))
        (shims / tool).chmod(0o755)
    for stage in dockerfile.stages:
        rootfs = scratch / "stages" / stage["name"]
        rootfs.mkdir(parents=True, exist_ok=True)
        stage_roots[stage["name"]] = rootfs
        is_final = stage is final
        if not is_final and not any(f"--from={stage['name']}" in r for r in dockerfile.all("COPY", final)):
            continue
        if is_final:
            section(f"runtime stage of {rel(dockerfile.path)}: user creation and chown mapped to uid {uid}")
            if any("apt-get" in r for r in dockerfile.all("RUN", final)):
                report.fail("the runtime stage installs packages; only the CPU Dockerfile can be emulated here")
                return
            os.environ.update(EMULATED_ROOTFS=str(rootfs), EMULATED_UID=str(uid), EMULATED_GID=str(gid),
                              EMULATED_USER=user)
        if not run_stage(report, dockerfile, stage, rootfs, stage_roots, shims if is_final else None, args.offline):
            print(f"  left for inspection: {scratch}")
            return
    rootfs = stage_roots[final["name"]]
    workdir = rootfs / dockerfile.all("WORKDIR", final)[-1].lstrip("/")
    env_values = {}
    for rest in dockerfile.all("ENV", final):
        env_values.update(parse_env(rest))
    home = next((rootfs / m.group(1).lstrip("/") for r in dockerfile.all("RUN", final)
                 for m in [re.search(r"--home-dir\s+(\S+)", r)] if m), rootfs / "tmp")
    home.mkdir(parents=True, exist_ok=True)
    tools = scratch / "path"
    tools.mkdir(exist_ok=True)
    (tools / "mvn").write_text(MVN_ABSENT)
    (tools / "mvn").chmod(0o755)
    entrypoint = exec_form(dockerfile.all("ENTRYPOINT", final)[-1])
    cmd = exec_form(dockerfile.all("CMD", final)[-1])
    runtime_env = {"HOME": str(home), "PATH": f"{tools}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                   "LANG": "C.UTF-8"}
    runtime_env.update({k: v for k, v in env_values.items() if k != "PATH"})
    as_user = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"] if os.geteuid() == 0 else []

    def run(arguments, timeout=600):
        result = subprocess.run(as_user + arguments, cwd=workdir, env=runtime_env, capture_output=True, text=True,
                                timeout=timeout)
        return result.returncode, result.stdout + result.stderr

    section("the runtime layout, run as the image's unprivileged user")
    jar = workdir / "app" / "target" / "crisscross-app.jar"
    report.check(jar.is_file() and (workdir / "app" / "target" / "lib").is_dir(),
                 "the launcher's classpath (app/target/crisscross-app.jar, app/target/lib/) is in place")
    jar_time = jar.stat().st_mtime
    for writable in ("runs", "data"):
        path = workdir / writable
        report.check(path.is_dir() and (not as_user or path.stat().st_uid == uid), f"{writable}/ belongs to the user")
    if as_user:
        code, _ = run(["touch", str(workdir / "app" / "target" / "probe")])
        report.check(code != 0, "the user cannot change the application files")
    code, help_text = run(entrypoint + ["--help"])
    report.check(code == 0 and "Usage: crisscross" in help_text, f"{' '.join(entrypoint)} --help", help_text[-300:])
    report.check("mvn:" not in help_text and "building" not in help_text, "the launcher did not try to build")
    code, out = run(entrypoint + ["--version"])
    report.check(code == 0, f"{' '.join(entrypoint)} --version: {out.strip()[:60]}")
    commands = re.findall(r"^  (\w[\w-]*)\s", help_text, re.M)
    code, out = run(entrypoint + [cmd[0], "--help"])
    report.check(code == 0, f"{' '.join(entrypoint)} {cmd[0]} --help (the image's default command)", out[-300:])
    compose_options = {"--config", "--run-dir", "--set"}
    absent = sorted(o for o in compose_options if o not in out)
    if absent:
        report.warn(f"'{cmd[0]} --help' lists no {', '.join(absent)}: compose.yaml's trainer command needs the "
                    f"pretrain options of the project brief; this build's {cmd[0]} does not take them yet")
    else:
        report.ok(f"{cmd[0]} takes {', '.join(sorted(compose_options))} (compose.yaml's trainer command)")
    if "synth" in commands:
        code, out = run(entrypoint + ["synth", "--out", "data/demo", "--clips", "6"])
        manifest = workdir / "data" / "demo" / "manifest.csv"
        report.check(code == 0 and manifest.is_file() and (not as_user or manifest.stat().st_uid == uid),
                     "synth --out data/demo writes the corpus into data/ as the user (demo-corpus)", out[-300:])
    else:
        report.warn("this build has no synth command yet: compose.yaml's demo-corpus service needs it")
    limits = scratch / "Limits.java"
    limits.write_text(LIMITS_JAVA)
    limits.chmod(0o644)
    options = shlex.split(env_values.get("CRISSCROSS_JAVA_OPTS", ""))
    java = shutil.which("java", path=runtime_env["PATH"])
    code, out = run([java] + options + ["-cp", f"{jar}:{jar.parent / 'lib'}/*", str(limits)])
    found = re.search(r"heap (\d+) maxBytes (\d+) maxPhysicalBytes (\d+)", out)
    if report.check(code == 0 and found is not None and "nd4j sum 6.0" in out and "ffmpeg avutil" in out,
                    "CRISSCROSS_JAVA_OPTS start the JVM; FFmpeg and ND4J natives load as the user", out[-400:]):
        heap, max_bytes, max_physical = (int(found.group(i)) for i in (1, 2, 3))
        wanted = {k: int(v[:-1]) / 100 for k, v in (o[2:].split("=", 1) for o in options if o.startswith("-Dorg.bytedeco"))
                  if v.endswith("%")}
        report.check(abs(max_bytes / heap - wanted.get("org.bytedeco.javacpp.maxbytes", 1)) < 0.01
                     and abs(max_physical / heap - wanted.get("org.bytedeco.javacpp.maxphysicalbytes", 2)) < 0.01,
                     f"JavaCPP limits follow the heap: maxBytes {max_bytes / heap:.2f}x, "
                     f"maxPhysicalBytes {max_physical / heap:.2f}x of {heap >> 20} MiB")
    report.check(jar.stat().st_mtime == jar_time, "the jar was not rebuilt")
    if not args.keep and not report.failures:
        shutil.rmtree(scratch, ignore_errors=True)
        # JavaCPP falls back to the system temp folder when the user's passwd home is not writable.
        for leftover in Path(tempfile.gettempdir()).glob(".javacpp-*"):
            if leftover.stat().st_uid == uid:
                shutil.rmtree(leftover, ignore_errors=True)
    else:
        print(f"  scratch folder kept: {scratch}")


# ---------------------------------------------------------------------------------------------------------------
# Live check against a running monitor


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except OSError as e:
        return None, str(e)


def check_live(report, args):
    import yaml

    url = args.url.rstrip("/")
    section(f"the monitor at {url}")
    deadline = time.time() + args.seconds
    status, _ = http_get(f"{url}/health")
    while status != 200 and time.time() < deadline:
        time.sleep(1)
        status, _ = http_get(f"{url}/health")
    if not report.check(status == 200, "GET /health answers 200 (the image's HEALTHCHECK)", f"got {status}"):
        return
    status, exposition = http_get(f"{url}/metrics")
    report.check(status == 200, "GET /metrics answers 200")
    exported = set(re.findall(r"^# TYPE (\S+) ", exposition, re.M))
    missing = DASHBOARD_METRICS - exported
    report.check(not missing, f"/metrics exports the {len(DASHBOARD_METRICS)} metrics the dashboard shows",
                 "missing " + ", ".join(sorted(missing)))
    promtool = shutil.which("promtool")
    if promtool:
        lint = subprocess.run([promtool, "check", "metrics"], input=exposition, capture_output=True, text=True)
        findings = (lint.stdout + lint.stderr).strip()
        if findings:
            report.warn("promtool check metrics (naming advice on the trainer's metrics, not on docker/): "
                        + "; ".join(findings.splitlines()[:6]))
        else:
            report.ok("promtool check metrics finds nothing to say about the exposition")
    prometheus = shutil.which("prometheus") or "/usr/bin/prometheus"
    if not os.access(prometheus, os.X_OK):
        report.skip("dashboard queries against a real Prometheus: prometheus is not installed")
        return

    section("a real Prometheus with docker/prometheus/prometheus.yml scrapes it")
    config = yaml.safe_load(PROMETHEUS.read_text(encoding="utf-8"))
    target = urllib.parse.urlparse(url).netloc
    for job in config["scrape_configs"]:
        for group in job.get("static_configs", []):
            group["targets"] = [target]
    scratch = Path(tempfile.mkdtemp(prefix="crisscross-prometheus-"))
    (scratch / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = args.prometheus_port
    log = open(scratch / "prometheus.log", "w")
    server = subprocess.Popen([prometheus, f"--config.file={scratch / 'prometheus.yml'}",
                               f"--storage.tsdb.path={scratch / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
                              stdout=log, stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api/v1"

    def query(expr):
        status, body = http_get(f"{api}/query?" + urllib.parse.urlencode({"query": expr}))
        if status != 200:
            return None
        return json.loads(body)["data"]["result"]

    try:
        deadline = time.time() + args.seconds
        scrapes = None
        while time.time() < deadline:
            result = query('sum_over_time(up{job="crisscross"}[5m])')
            scrapes = int(float(result[0]["value"][1])) if result else 0
            if scrapes >= 3:
                break
            time.sleep(1)
        if not report.check(bool(scrapes) and scrapes >= 3, f"Prometheus scraped the target successfully {scrapes} times",
                            (scratch / "prometheus.log").read_text()[-500:]):
            return
        # The step, epoch, loss... series appear with the first optimiser step, which can take minutes to come
        # (first batch decoded, graph built): wait for it within the same time limit.
        stepped = query("crisscross_step")
        while not stepped and time.time() < deadline:
            time.sleep(2)
            stepped = query("crisscross_step")
        if not report.check(bool(stepped), "the run took its first step (crisscross_step is scraped)",
                            f"none within {args.seconds} s; run again later with a larger --seconds"):
            return
        up = query('up{job="crisscross"}')
        report.check(bool(up) and up[0]["value"][1] == "1", "up{job=\"crisscross\"} is 1")
        status, body = http_get(f"{api}/label/instance/values?" + urllib.parse.urlencode({"match[]": "crisscross_step"}))
        instances = json.loads(body)["data"] if status == 200 else []
        report.check(bool(instances), f"the dashboard variable $instance has values: {instances}")
        for path in sorted(DASHBOARDS.glob("*.json")):
            dashboard = json.loads(path.read_text(encoding="utf-8"))
            for panel in dashboard.get("panels", []):
                for t in panel.get("targets", []):
                    result = query(grafana_to_promql(t["expr"]))
                    series = [r["metric"].get("term") or r["metric"].get("reason") or r["metric"].get("outcome")
                              or r["metric"].get("__name__", "") for r in (result or [])]
                    report.check(bool(result), f"'{panel['title']}': {t['expr']} -> {len(result or [])} series"
                                 + (f" {sorted(set(filter(None, series)))}" if any(series) else ""), "no data")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if not report.failures:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"  Prometheus folder kept: {scratch}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["static", "build", "live"])
    parser.add_argument("--compose-schema", help="compose-spec.json to validate compose.yaml against")
    parser.add_argument("--dockerfile", default=str(DOCKERFILES[0]), help="Dockerfile to emulate (build mode)")
    parser.add_argument("--scratch", help="folder for the emulated build (default: a new temporary folder)")
    parser.add_argument("--offline", action="store_true", help="run the build's Maven offline (mvn -o)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--uid", type=int, default=65534, help="host uid standing for the image's user")
    parser.add_argument("--gid", type=int, default=65534, help="host gid standing for the image's group")
    parser.add_argument("--url", default="http://127.0.0.1:9464", help="monitor to check (live mode)")
    parser.add_argument("--seconds", type=int, default=60, help="how long to wait for 3 scrapes (live mode)")
    parser.add_argument("--prometheus-port", type=int, default=19090, help="port of the local Prometheus (live)")
    args = parser.parse_args()
    report = Report()
    try:
        if args.mode == "static":
            check_static(report, args)
        elif args.mode == "build":
            check_build(report, args)
        else:
            check_live(report, args)
    except ImportError as e:
        print(f"  skip  {args.mode} checks: python3 module missing ({e.name}); apt-get install python3-yaml")
        return 0
    print(f"\n{args.mode}: {len(report.failures)} failed, {len(report.warnings)} warnings")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
