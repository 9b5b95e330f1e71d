"""The deploy recipes parse and say what the README says: Dockerfile, docker-compose.yml, k8s/.

No container engine runs here; these tests read the files as Docker, Compose and kubectl would
and check what a deployment relies on (non-root user, health checks on /health, migrations
before the app, probes and resources, names that refer to each other).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

from badgeapp.config import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
#: variables read by gunicorn.conf.py and wsgi/create_app rather than config.DEFAULTS
PROCESS_ENV = {
    "PORT",
    "HOST",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "FORWARDED_ALLOW_IPS",
    "BADGEAPP_INSTANCE_PATH",
}


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def exec_form(argument: str) -> list[str]:
    return json.loads(argument) if argument.startswith("[") else shlex.split(argument)


def readme_section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def the_readme_command() -> str:
    """The serving command the README's deploy section gives."""
    section = readme_section("Deploying")
    match = re.search(r"^(gunicorn [^\n#]+?)\s*(?:#.*)?$", section, re.M)
    assert match, "the Deploying section shows the serving command"
    return match.group(1).strip()


def test_dockerfile_entry_is_the_readme_command():
    cmd = [arg for key, arg in dockerfile_instructions() if key == "CMD"]
    assert len(cmd) == 1
    assert " ".join(exec_form(cmd[0])) == the_readme_command()
    # and it is what `make run` serves with
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/" + the_readme_command() in makefile


def test_dockerfile_is_slim_non_root_and_healthchecked():
    instructions = dockerfile_instructions()
    keys = [key for key, _ in instructions]
    base = dict(instructions)["FROM"]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base), base
    user = [arg for key, arg in instructions if key == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert keys.index("USER") < keys.index("CMD")
    health = [arg for key, arg in instructions if key == "HEALTHCHECK"]
    assert len(health) == 1 and "/health" in health[0]
    assert "EXPOSE" in keys and dict(instructions)["EXPOSE"] == "8000"
    gunicorn_conf = (ROOT / "gunicorn.conf.py").read_text()
    assert "os.environ.get('PORT', '8000')" in gunicorn_conf


def test_dockerfile_copies_files_that_exist():
    for key, argument in dockerfile_instructions():
        if key == "COPY":
            *sources, _target = argument.split()
            for source in sources:
                assert (ROOT / source).exists(), source


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_app_redis_postgres_and_migrations():
    services = compose()["services"]
    assert {"app", "migrate", "redis", "postgres"} <= set(services)
    app, migrate = services["app"], services["migrate"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert exec_form(
        " ".join(migrate["command"]) if isinstance(migrate["command"], list) else migrate["command"]
    ) == ["badgeapp", "db", "upgrade"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("redis", "postgres"):
        assert services[name]["healthcheck"]["test"]
    assert "8000" in app["ports"][0].split(":")[-1]


def test_compose_environment_points_at_its_services():
    services = compose()["services"]
    for name in ("app", "migrate"):
        env = services[name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert re.match(r"postgresql://[^@]+@postgres:5432/badgeapp$", env["DATABASE_URL"])
        for key in env:
            assert key in DEFAULTS or key in PROCESS_ENV, key


def k8s_documents() -> list[dict]:
    documents = []
    for path in sorted((ROOT / "k8s").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                assert {"apiVersion", "kind", "metadata"} <= set(document), path
                documents.append(document)
    return documents


def by_kind(kind: str) -> list[dict]:
    return [d for d in k8s_documents() if d["kind"] == kind]


def test_k8s_has_every_piece():
    kinds = {d["kind"] for d in k8s_documents()}
    assert {"Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "Job"} <= (
        kinds
    )


def test_k8s_deployment_probes_and_resources():
    (deployment,) = by_kind("Deployment")
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert port_names == {"http": 8000}
    for probe in ("livenessProbe", "readinessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/health" and get["port"] in ("http", 8000)
    resources = container["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"]) and {"cpu", "memory"} <= set(
        resources["limits"]
    )
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert (
        deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    )


def test_k8s_names_refer_to_each_other():
    (deployment,) = by_kind("Deployment")
    (job,) = by_kind("Job")
    (hpa,) = by_kind("HorizontalPodAutoscaler")
    configmaps = {d["metadata"]["name"]: d for d in by_kind("ConfigMap")}
    secrets = {d["metadata"]["name"]: d for d in by_kind("Secret")}
    services = {d["metadata"]["name"]: d for d in by_kind("Service")}
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    web = [s for s in services.values() if s["spec"].get("type") != "ExternalName"]
    assert web and all(s["spec"]["selector"].items() <= pod_labels.items() for s in web)
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2
    (app_container,) = deployment["spec"]["template"]["spec"]["containers"]
    (migrate_container,) = job["spec"]["template"]["spec"]["containers"]
    assert migrate_container["command"] == ["badgeapp", "db", "upgrade"]
    assert migrate_container["image"] == app_container["image"]
    for container in (app_container, migrate_container):
        for source in container["envFrom"]:
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in configmaps
            if "secretRef" in source:
                assert source["secretRef"]["name"] in secrets
    env = {}
    for document in [*configmaps.values(), *secrets.values()]:
        env.update(document.get("data") or document.get("stringData") or {})
    for key in env:
        assert key in DEFAULTS or key in PROCESS_ENV, key
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(env)
    # Redis and PostgreSQL are external services the URLs name
    external = {n for n, s in services.items() if s["spec"].get("type") == "ExternalName"}
    redis_host = re.match(r"redis://([^:/]+)", env["REDIS_URL"]).group(1)
    postgres_host = re.search(r"@([^:/]+)", env["DATABASE_URL"]).group(1)
    assert {redis_host, postgres_host} <= external


def test_recipe_settings_parse_as_config():
    """Every setting the recipes give parses with the key's own parser."""
    env = {}
    for document in [*by_kind("ConfigMap"), *by_kind("Secret")]:
        env.update(document.get("data") or document.get("stringData") or {})
    env.update(compose()["services"]["app"]["environment"])
    for key, value in env.items():
        if key in DEFAULTS and "${" not in str(value):
            DEFAULTS[key].parse(value)


def test_readme_documents_the_recipes():
    section = readme_section("Deploying")
    for needle in ("docker compose up", "kubectl apply -f k8s/", "Dockerfile", "/health"):
        assert needle in section, needle
