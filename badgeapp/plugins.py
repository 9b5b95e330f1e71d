"""The plugin registry: one pluggy PluginManager per app, fed from three places.

1. Built-ins: the modules in ``DEFAULT_PLUGINS``, registered exactly like third-party plugins.
2. pip-installed packages: entry points in the group ``badgeapp``.
3. Drop-in files: ``*.py`` in the plugins folder (``BADGEAPP_PLUGINS_DIR``), hot-reloaded.
   A file ``NAME.py`` that defines ``get_metric(metric)`` (plain or ``async def``) becomes
   the provider ``NAME``; a file may also hold ``@hookimpl`` functions.

Hot reload: at most once per ``PLUGINS_RELOAD_INTERVAL`` seconds per process, the folder is
scanned; a changed file is re-imported, a broken file keeps its last good version registered
(the error is shown by ``/plugins/list``), a deleted file is unregistered, a new one appears.

Name clashes: a drop-in file named like a plugin that is already registered (a pip package's
entry point, say) is refused, never registered over it: the package keeps working, the file is
listed with the error ``name clash: ...`` and both rows carry ``clash``; ``/health`` reports the
plugins as ``degraded`` until the file is renamed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import importlib
import importlib.metadata
import importlib.util
import inspect
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pluggy

from badgeapp import hookspecs
from badgeapp.badges.invalidation import generation
from badgeapp.errors import NotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.providers.base import ResolveContext, Value

#: Built-in features, registered through the same hooks as third-party plugins (datasette style).
DEFAULT_PLUGINS: tuple[str, ...] = (
    # operational endpoints
    "badgeapp.families.health",
    # families and built-in hook implementations are added below, one line each
    "badgeapp.storage.db",
    "badgeapp.storage.commands",
    "badgeapp.families.nice",
    "badgeapp.families.custom",
    "badgeapp.builtin.report_parsers",
    "badgeapp.families.quality",
    "badgeapp.builtin.fonts",
    "badgeapp.builtin.assets",
    "badgeapp.families.layered",
    "badgeapp.providers.github",
    "badgeapp.providers.gitlab",
    "badgeapp.providers.bitbucket",
    "badgeapp.providers.dockerhub",
    "badgeapp.providers.pypi",
    "badgeapp.providers.npm",
    "badgeapp.providers.youtube",
    "badgeapp.providers.twitter",
    "badgeapp.families.providers",
    "badgeapp.families.plugin_badges",
    "badgeapp.families.compose",
    "badgeapp.builtin.themes",
    "badgeapp.builtin.icons",
    "badgeapp.security.signing",
    "badgeapp.security.abuse",
    "badgeapp.http.v1",
    "badgeapp.openapi.fragments",
    "badgeapp.families.docs",
    "badgeapp.families.live",
    "badgeapp.families.webhook",
    "badgeapp.scheduler.jobs",
    "badgeapp.scheduler.commands",
    "badgeapp.theming.hooks",
    "badgeapp.families.themes",
    "badgeapp.analytics.hooks",
    "badgeapp.families.dashboard",
    "badgeapp.rank.themes",
    "badgeapp.families.rank",
    "badgeapp.families.trophies",
    "badgeapp.families.insights",
    # shields live routes (issue 12)
    "badgeapp.providers.github_shields",
    "badgeapp.providers.package_registries",
    "badgeapp.providers.ci_services",
    "badgeapp.families.shields",
    # integration of issue 15 with the dashboard: analytics retention as a scheduled job
    "badgeapp.analytics.jobs",
)

ENTRYPOINT_GROUP = "badgeapp"


@dataclasses.dataclass
class PluginInfo:
    """What ``/plugins/list`` and ``badgeapp plugins`` show about one plugin."""

    name: str
    source: str  # builtin | package | file
    version: str | None = None
    error: str | None = None
    path: str | None = None
    #: set when another plugin has the same name: what happened (None: no clash)
    clash: str | None = None


class FileProvider:
    """A drop-in file's ``get_metric(metric)`` wrapped into a provider with no subject."""

    subject_parts = 0

    def __init__(self, name: str, get_metric: Callable[[str], Any], metrics: Mapping[str, str]):
        self.name = name
        self._get_metric = get_metric
        self.metrics = dict(metrics)

    def resolve(self, subject: tuple[str, ...], metric: str, ctx: ResolveContext) -> Value:
        if self.metrics and metric not in self.metrics:
            raise NotFound("unknown metric", detail=f"plugin {self.name} has no metric {metric!r}")
        result = self._get_metric(metric)
        if inspect.isawaitable(result):
            result = asyncio.run(_await(result))
        if isinstance(result, Value):
            return result
        if result is None:
            raise NotFound("unknown metric", detail=f"plugin {self.name} returned nothing")
        return Value(raw=result, display=str(result), label=metric)


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _metrics_of(module: types.ModuleType) -> dict[str, str]:
    declared = getattr(module, "METRICS", None)
    if isinstance(declared, Mapping):
        return {str(key): str(value) for key, value in declared.items()}
    if isinstance(declared, list | tuple):
        return {str(key): "" for key in declared}
    return {}


def _add_provider_hook(module: types.ModuleType, name: str) -> None:
    """Give a drop-in module with ``get_metric`` a ``badgeapp_providers`` hook implementation."""
    get_metric = getattr(module, "get_metric", None)
    if not callable(get_metric) or hasattr(module, "badgeapp_providers"):
        return
    provider = FileProvider(name, get_metric, _metrics_of(module))

    @hookimpl
    def badgeapp_providers() -> list[FileProvider]:
        return [provider]

    module.badgeapp_providers = badgeapp_providers


@dataclasses.dataclass
class _FileState:
    signature: tuple[int, int]
    module: types.ModuleType | None
    error: str | None = None
    #: the file was refused because a plugin of another origin has its name
    clash: bool = False


class PluginFolder:
    """Keeps the plugin manager in step with the ``*.py`` files of one folder."""

    def __init__(self, pm: pluggy.PluginManager, path: Path, interval: float = 1.0):
        self.pm = pm
        self.path = path
        self.interval = interval
        self.files: dict[str, _FileState] = {}
        self.generation = 0
        self._lock = threading.Lock()
        self._checked_at = float("-inf")

    def maybe_sync(self) -> bool:
        """Sync if the last check is older than the interval. Returns True when plugins changed."""
        now = time.monotonic()
        if now - self._checked_at < self.interval:
            return False
        return self.sync()

    def sync(self) -> bool:
        with self._lock:
            self._checked_at = time.monotonic()
            found: dict[str, tuple[int, int]] = {}
            if self.path.is_dir():
                for file in sorted(self.path.glob("*.py")):
                    if file.name.startswith("_"):
                        continue
                    try:
                        stat = file.stat()
                    except FileNotFoundError:
                        continue
                    found[file.stem] = (stat.st_mtime_ns, stat.st_size)
            changed = False
            for name in list(self.files):
                if name not in found:
                    self._unregister(name)
                    del self.files[name]
                    changed = True
            for name, signature in found.items():
                state = self.files.get(name)
                if state is not None and state.signature == signature:
                    continue
                changed |= self._load(name, signature, state)
            if changed:
                self.generation += 1
            return changed

    def _unregister(self, name: str) -> None:
        """Unregister the file's own module (never another plugin that has the same name)."""
        state = self.files.get(name)
        plugin = self.pm.get_plugin(name)
        if plugin is not None and state is not None and plugin is state.module:
            self.pm.unregister(plugin)
        sys.modules.pop(f"badgeapp_plugins.{name}", None)

    def _load(self, name: str, signature: tuple[int, int], previous: _FileState | None) -> bool:
        file = self.path / f"{name}.py"
        module_name = f"badgeapp_plugins.{name}"
        registered = self.pm.get_plugin(name)
        if registered is not None and registered is not (previous.module if previous else None):
            error = (
                f"name clash: a plugin named {name!r} is already loaded (a package or a "
                f"built-in); this file was not loaded, rename it to use it"
            )
            self.files[name] = _FileState(signature, None, error, clash=True)
            return previous is None or previous.error != error
        try:
            spec = importlib.util.spec_from_file_location(module_name, file)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            _add_provider_hook(module, name)
        except BaseException as exc:  # a broken plugin file must never take the app down
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            keep = previous.module if previous else None
            self.files[name] = _FileState(signature, keep, error)
            return previous is None or previous.error != error
        if self.pm.get_plugin(name) is not None:
            self.pm.unregister(name=name)
        sys.modules[module_name] = module
        self.pm.register(module, name=name)
        self.files[name] = _FileState(signature, module, None)
        return True


class PluginRegistry:
    """All plugins of one app, and typed views of what their hooks return."""

    def __init__(
        self,
        plugins_dir: str | Path | None = None,
        *,
        load_entrypoints: bool = True,
        reload_interval: float = 1.0,
        default_plugins: Iterable[str] = DEFAULT_PLUGINS,
    ) -> None:
        self.pm = pluggy.PluginManager("badgeapp")
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        for module_name in default_plugins:
            module = importlib.import_module(module_name)
            self.pm.register(module, name=module_name)
            self.info[module_name] = PluginInfo(module_name, "builtin", installed_version())
        if load_entrypoints:
            self._load_entrypoints()
        self.folder = (
            PluginFolder(self.pm, Path(plugins_dir), reload_interval) if plugins_dir else None
        )
        if self.folder:
            self.folder.sync()
        self._cache: dict[str, Any] = {}
        self._cache_generation = -1

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def _load_entrypoints(self) -> None:
        for entry_point in importlib.metadata.entry_points(group=ENTRYPOINT_GROUP):
            dist = getattr(entry_point, "dist", None)
            version = dist.version if dist else None
            try:
                plugin = entry_point.load()
                if self.pm.get_plugin(entry_point.name) is None:
                    self.pm.register(plugin, name=entry_point.name)
                self.info[entry_point.name] = PluginInfo(entry_point.name, "package", version)
            except (Exception, SystemExit) as exc:  # as the folder loader: never stop start-up
                error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                self.info[entry_point.name] = PluginInfo(
                    entry_point.name, "package", version, error=error
                )

    def maybe_reload(self) -> bool:
        """Check the plugins folder (throttled); True when something changed."""
        return bool(self.folder and self.folder.maybe_sync())

    def plugins(self) -> list[PluginInfo]:
        """Every known plugin, including drop-in files that failed to import."""
        result = list(self.info.values())
        if self.folder:
            for name, state in sorted(self.folder.files.items()):
                module = state.module
                result.append(
                    PluginInfo(
                        name,
                        "file",
                        getattr(module, "__version__", None) if module else None,
                        state.error,
                        str(self.folder.path / f"{name}.py"),
                        "this file was not loaded: another plugin has its name"
                        if state.clash
                        else None,
                    )
                )
        clashes = set(self.clashes())
        return [
            dataclasses.replace(
                info, clash=f"the drop-in file {info.name}.py has the same name and was not loaded"
            )
            if info.source != "file" and info.name in clashes
            else info
            for info in result
        ]

    def clashes(self) -> list[str]:
        """Names that two plugins claim (the later one, a drop-in file, was refused)."""
        if not self.folder:
            return []
        return sorted(name for name, state in self.folder.files.items() if state.clash)

    def hooks_of(self, name: str) -> list[str]:
        """Names of the hooks plugin ``name`` implements."""
        plugin = self.pm.get_plugin(name)
        if plugin is None:
            return []
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])

    def _cached(self, key: str, compute: Callable[[], Any]) -> Any:
        generation = self.folder.generation if self.folder else 0
        if generation != self._cache_generation:
            self._cache.clear()
            self._cache_generation = generation
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _flat(self, hook_name: str) -> list[Any]:
        results = getattr(self.pm.hook, hook_name)()
        return [item for result in reversed(results) if result for item in result]

    def providers_by_plugin(self) -> dict[str, list[Any]]:
        """Provider objects grouped by the name of the plugin that contributed them."""

        def compute() -> dict[str, list[Any]]:
            grouped: dict[str, list[Any]] = {}
            for impl in self.pm.hook.badgeapp_providers.get_hookimpls():
                grouped[impl.plugin_name] = list(impl.function() or [])
            return grouped

        return self._cached("providers_by_plugin", compute)

    def providers(self) -> dict[str, Any]:
        """Provider name -> provider. Built-ins first; a later plugin cannot shadow a name."""

        def compute() -> dict[str, Any]:
            merged: dict[str, Any] = {}
            for provider in self._flat("badgeapp_providers"):
                merged.setdefault(provider.name, provider)
            return merged

        return self._cached("providers", compute)

    def themes(self) -> list[dict[str, Any]]:
        # stored themes change while the app runs: their invalidations key the list apart
        key = f"themes@{generation('themes')}"
        for old in [k for k in self._cache if k.startswith("themes@") and k != key]:
            self._cache.pop(old, None)
        return self._cached(key, lambda: self._flat("badgeapp_themes"))

    def rank_themes(self) -> list[dict[str, Any]]:
        return self._cached("rank_themes", lambda: self._flat("badgeapp_rank_themes"))

    def fonts(self) -> list[dict[str, Any]]:
        return self._cached("fonts", lambda: self._flat("badgeapp_fonts"))

    def asset_dirs(self) -> list[str]:
        return self._cached("asset_dirs", lambda: self._flat("badgeapp_asset_dirs"))

    def report_parsers(self) -> list[Any]:
        return self._cached("report_parsers", lambda: self._flat("badgeapp_report_parsers"))

    def icons(self) -> dict[str, str]:
        def compute() -> dict[str, str]:
            merged: dict[str, str] = {}
            for result in reversed(self.pm.hook.badgeapp_icons()):
                merged.update(result or {})
            return merged

        return self._cached("icons", compute)


@functools.cache
def installed_version() -> str:
    """badgeapp's installed version, read once (its metadata holds the whole README)."""
    try:
        return importlib.metadata.version("badgeapp")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def get_registry(app: Any = None) -> PluginRegistry:
    """The registry of ``app`` (default: the current Flask app)."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions["badgeapp.plugins"]


__all__ = [
    "DEFAULT_PLUGINS",
    "FileProvider",
    "PluginInfo",
    "PluginRegistry",
    "get_registry",
]
