"""Package registry providers for shields' routes: nuget, gem, bestgems, crates, packagist, pub,
homebrew, conda, maven-central, aur, cocoapods, hexpm, bundlephobia and jsdelivr.

Each is a built-in provider plugin over the upstream layer with its own base-URL setting
(``NUGET_SEARCH_URL``, ``RUBYGEMS_URL``, ``BESTGEMS_URL``, ``CRATES_URL``, ``PACKAGIST_URL``,
``PACKAGIST_REPO_URL``, ``PUB_URL``, ``HOMEBREW_URL``, ``ANACONDA_URL``, ``MAVEN_CENTRAL_URL``,
``AUR_URL``, ``COCOAPODS_URL``, ``HEXPM_URL``, ``BUNDLEPHOBIA_URL``, ``JSDELIVR_URL``),
so tests and mirrors point them elsewhere. Values carry shields' messages and colours.
"""

from __future__ import annotations

import defusedxml.ElementTree as SafeET

from badgeapp.errors import InvalidResponse, NotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.shields import formats

from .api import ApiProvider, Fetcher, field, number
from .base import Value
from .display import pretty_bytes as display_bytes

VERSION_SECONDS = 300
DOWNLOAD_SECONDS = 900


def version_value(version: str, color: str | None = None) -> Value:
    """A version the shields way (``addv``, version colour unless given)."""
    return Value(
        raw=version,
        display=formats.addv(version),
        color=color or formats.version_color(version),
        cache_seconds=VERSION_SECONDS,
    )


def downloads_value(n: int, interval: str | None = None) -> Value:
    """A download count the shields way (``12k/month``, coloured by count)."""
    return Value(
        raw=n,
        display=formats.downloads_message(n, interval),
        color=formats.downloads_color(n),
        cache_seconds=DOWNLOAD_SECONDS,
    )


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``123rd``."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"


class NuGetProvider(ApiProvider):
    """NuGet packages (the search service answers versions and total downloads)."""

    name = "nuget"
    subject_parts = 1
    metrics = {
        "version": "latest stable version",
        "version_pre": "latest version, pre-releases included",
        "downloads": "total downloads",
    }
    labels = {"version": "nuget", "version_pre": "nuget"}

    def _package(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        data = fetch.json(
            fetch.url("NUGET_SEARCH_URL", "/query"),
            params={"q": f"packageid:{subject[0]}", "prerelease": "true", "semVerLevel": "2"},
        )
        found = field(data, "data", kind=list)
        if not found:
            raise NotFound("package not found")
        return field(found, 0, kind=dict)

    @staticmethod
    def _color(version: str) -> str:
        if "-" in version:
            return "yellow"
        return "orange" if version.startswith("0") else "blue"

    def _version(self, subject: tuple[str, ...], fetch: Fetcher, pre: bool) -> Value:
        versions = [
            str(v.get("version"))
            for v in field(self._package(subject, fetch), "versions", kind=list)
            if isinstance(v, dict) and v.get("version")
        ]
        chosen = versions if pre else [v for v in versions if "-" not in v.split("+")[0]]
        if not chosen:
            raise NotFound("no stable version" if versions else "package not found")
        version = chosen[-1].split("+")[0]
        return version_value(version, self._color(version))

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._version(subject, fetch, pre=False)

    def metric_version_pre(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._version(subject, fetch, pre=True)

    def metric_downloads(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(number(self._package(subject, fetch), "totalDownloads"))


class RubyGemsProvider(ApiProvider):
    """RubyGems versions and downloads; ranks from bestgems.org."""

    name = "gem"
    subject_parts = 1
    metrics = {
        "version": "latest version",
        "downloads": "total downloads",
        "downloads_latest": "downloads of the latest version",
        "downloads_version": "downloads of one version (shields.version)",
        "rank_total": "total download rank (bestgems.org)",
        "rank_daily": "daily download rank (bestgems.org)",
    }
    labels = {"version": "gem", "rank_total": "rank", "rank_daily": "rank"}

    def _gem(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        url = fetch.url("RUBYGEMS_URL", f"/api/v1/gems/{subject[0]}.json")
        data = fetch.json(url, missing="not found")
        if not isinstance(data, dict):
            raise InvalidResponse()
        return data

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return version_value(str(field(self._gem(subject, fetch), "version", kind=str)))

    def metric_downloads(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(number(self._gem(subject, fetch), "downloads"))

    def metric_downloads_latest(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._gem(subject, fetch), "version_downloads")
        return downloads_value(n)

    def metric_downloads_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        wanted = str(fetch.ctx.args.get("shields.version") or "")
        url = fetch.url("RUBYGEMS_URL", f"/api/v1/versions/{subject[0]}.json")
        versions = fetch.json(url, missing="not found")
        for item in versions if isinstance(versions, list) else []:
            if isinstance(item, dict) and item.get("number") == wanted:
                return downloads_value(number(item, "downloads_count"))
        raise NotFound("version not found")

    def _rank(self, subject: tuple[str, ...], fetch: Fetcher, which: str) -> Value:
        url = fetch.url("BESTGEMS_URL", f"/api/v1/gems/{subject[0]}/{which}_ranking.json")
        data = fetch.json(url, missing="not found")
        if not isinstance(data, list) or not data:
            raise NotFound("not found")
        n = number(data, 0, f"{which}_ranking")
        color = "red"
        for bound, name in ((10, "brightgreen"), (100, "green"), (1000, "yellowgreen"),
                            (10000, "yellow"), (100000, "orange")):  # fmt: skip
            if n < bound:
                color = name
                break
        text = ordinal(n) + (" daily" if which == "daily" else "")
        return Value(raw=n, display=text, color=color, cache_seconds=DOWNLOAD_SECONDS)

    def metric_rank_total(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._rank(subject, fetch, "total")

    def metric_rank_daily(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._rank(subject, fetch, "daily")


class CratesProvider(ApiProvider):
    """crates.io version, downloads and licence."""

    name = "crates"
    subject_parts = 1
    metrics = {"version": "latest version", "downloads": "total downloads", "license": "licence"}
    labels = {"version": "crates.io"}

    def _crate(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        url = fetch.url("CRATES_URL", f"/api/v1/crates/{subject[0]}")
        data = fetch.json(url, missing="not found")
        if not isinstance(data, dict):
            raise InvalidResponse()
        return data

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        crate = field(self._crate(subject, fetch), "crate", kind=dict)
        version = crate.get("max_stable_version") or field(crate, "max_version", kind=str)
        return version_value(str(version))

    def metric_downloads(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(number(self._crate(subject, fetch), "crate", "downloads"))

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        versions = field(self._crate(subject, fetch), "versions", kind=list)
        lic = versions[0].get("license") if versions and isinstance(versions[0], dict) else None
        if not isinstance(lic, str) or not lic:
            return Value(raw=None, display="not specified", color="lightgrey", cache_seconds=3600)
        return Value(raw=lic, display=lic, color="blue", cache_seconds=3600)


class PackagistProvider(ApiProvider):
    """Packagist (PHP) versions, downloads, licence and PHP requirement. Subject vendor/package."""

    name = "packagist"
    subject_parts = 2
    metrics = {
        "version": "latest version (?include_prereleases)",
        "downloads_month": "downloads in the last month",
        "downloads_day": "downloads yesterday",
        "downloads_total": "total downloads",
        "license": "licence",
        "php": "the PHP versions the latest version requires",
    }
    labels = {"version": "packagist", "downloads_month": "downloads", "downloads_day": "downloads",
              "downloads_total": "downloads"}  # fmt: skip

    def _latest(self, subject: tuple[str, ...], fetch: Fetcher, pre: bool = False) -> dict:
        name = f"{subject[0]}/{subject[1]}".lower()
        url = fetch.url("PACKAGIST_REPO_URL", f"/p2/{name}.json")
        data = fetch.json(url, missing="not found")
        versions = field(data, "packages", name, kind=list)
        for item in versions:
            if not isinstance(item, dict):
                continue
            version = str(item.get("version", ""))
            if pre or not any(w in version.lower() for w in ("dev", "alpha", "beta", "rc")):
                return item
        raise NotFound("no released version found")

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        pre = bool(fetch.ctx.args.get("include_prereleases") is not None)
        return version_value(str(field(self._latest(subject, fetch, pre), "version", kind=str)))

    def _downloads(self, subject: tuple[str, ...], fetch: Fetcher, key: str) -> int:
        url = fetch.url("PACKAGIST_URL", f"/packages/{subject[0]}/{subject[1]}.json")
        return number(fetch.json(url, missing="not found"), "package", "downloads", key)

    def metric_downloads_month(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(self._downloads(subject, fetch, "monthly"), "month")

    def metric_downloads_day(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(self._downloads(subject, fetch, "daily"), "day")

    def metric_downloads_total(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(self._downloads(subject, fetch, "total"))

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        lic = self._latest(subject, fetch).get("license")
        names = [str(x) for x in lic] if isinstance(lic, list) else []
        if not names:
            return Value(raw=None, display="not specified", color="lightgrey", cache_seconds=3600)
        text = ", ".join(names)
        return Value(
            raw=text, display=text, color=formats.license_color(names[0]), cache_seconds=3600
        )

    def metric_php(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        require = self._latest(subject, fetch).get("require")
        php = require.get("php") if isinstance(require, dict) else None
        if not isinstance(php, str):
            raise NotFound("version requirement not found")
        return Value(raw=php, display=php, color="blue", cache_seconds=3600)


class _SimpleVersion(ApiProvider):
    """A registry whose one metric is the latest version at ``path`` / ``keys``."""

    subject_parts = 1
    metrics = {"version": "latest version"}
    setting_key = ""
    path = ""
    keys: tuple[str, ...] = ()

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        url = fetch.url(self.setting_key, self.path.format(*subject))
        data = fetch.json(url, missing="not found")
        return version_value(str(field(data, *self.keys, kind=str)))


class PubProvider(_SimpleVersion):
    """pub.dev (Dart and Flutter) packages."""

    name = "pub"
    labels = {"version": "pub"}
    setting_key, path, keys = "PUB_URL", "/api/packages/{0}", ("latest", "version")


class HomebrewProvider(_SimpleVersion):
    """Homebrew formulae."""

    name = "homebrew"
    labels = {"version": "homebrew"}
    setting_key, path, keys = "HOMEBREW_URL", "/api/formula/{0}.json", ("versions", "stable")


class CondaProvider(_SimpleVersion):
    """Anaconda packages (subject channel/package)."""

    name = "conda"
    subject_parts = 2
    metrics = {"version": "latest version", "downloads": "downloads of every file"}
    labels = {"version": "conda"}
    setting_key, path, keys = "ANACONDA_URL", "/package/{0}/{1}", ("latest_version",)

    def metric_downloads(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = fetch.json(
            fetch.url(self.setting_key, self.path.format(*subject)), missing="not found"
        )
        files = [f for f in field(data, "files", kind=list) if isinstance(f, dict)]
        return downloads_value(sum(number(f, "ndownloads") for f in files))


class AurProvider(ApiProvider):
    """Arch User Repository packages (the RPC interface, version 5)."""

    name = "aur"
    subject_parts = 1
    metrics = {"version": "version (orange when flagged out of date)", "votes": "votes"}
    labels = {"version": "aur"}

    def _info(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        data = fetch.json(
            fetch.url("AUR_URL", "/rpc/"),
            params={"v": "5", "type": "info", "arg": subject[0]},
        )
        results = field(data, "results", kind=list)
        if not results:
            raise NotFound("package not found")
        return field(results, 0, kind=dict)

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        info = self._info(subject, fetch)
        version = str(field(info, "Version", kind=str))
        color = "orange" if info.get("OutOfDate") else "blue"
        return version_value(version, color)

    def metric_votes(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        n = number(self._info(subject, fetch), "NumVotes")
        return Value(raw=n, display=formats.metric(n), color="brightgreen", cache_seconds=3600)


class CocoaPodsProvider(ApiProvider):
    """CocoaPods specs: version, licence, platforms."""

    name = "cocoapods"
    subject_parts = 1
    metrics = {"version": "latest version", "license": "licence", "platform": "platforms"}
    labels = {"version": "pod", "platform": "platform"}

    def _spec(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        url = fetch.url("COCOAPODS_URL", f"/api/v1/pods/{subject[0]}/specs/latest")
        data = fetch.json(url, missing="not found")
        if not isinstance(data, dict):
            raise InvalidResponse()
        return data

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return version_value(str(field(self._spec(subject, fetch), "version", kind=str)))

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        lic = self._spec(subject, fetch).get("license")
        name = lic.get("type") if isinstance(lic, dict) else lic
        if not isinstance(name, str) or not name:
            return Value(raw=None, display="not specified", color="lightgrey", cache_seconds=3600)
        return Value(raw=name, display=name, color=formats.license_color(name), cache_seconds=3600)

    def metric_platform(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        platforms = self._spec(subject, fetch).get("platforms")
        names = sorted(platforms) if isinstance(platforms, dict) and platforms else ["ios", "osx"]
        text = " | ".join(str(n) for n in names)
        return Value(raw=names, display=text, color="lightgrey", cache_seconds=3600)


class HexProvider(ApiProvider):
    """hex.pm (Elixir and Erlang) packages."""

    name = "hexpm"
    subject_parts = 1
    metrics = {
        "version": "latest stable version",
        "downloads": "total downloads",
        "license": "licence",
    }
    labels = {"version": "hex"}

    def _package(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        data = fetch.json(
            fetch.url("HEXPM_URL", f"/api/packages/{subject[0]}"), missing="not found"
        )
        if not isinstance(data, dict):
            raise InvalidResponse()
        return data

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = self._package(subject, fetch)
        version = data.get("latest_stable_version") or field(data, "latest_version", kind=str)
        return version_value(str(version))

    def metric_downloads(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return downloads_value(number(self._package(subject, fetch), "downloads", "all"))

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        names = field(self._package(subject, fetch), "meta", "licenses", kind=list)
        if not names:
            return Value(raw=None, display="unknown", color="lightgrey", cache_seconds=3600)
        text = ", ".join(str(n) for n in names)
        color = formats.license_color(str(names[0]))
        return Value(raw=text, display=text, color=color, cache_seconds=3600)


class BundlephobiaProvider(ApiProvider):
    """npm package sizes from bundlephobia (subject name or @scope/name; shields.version)."""

    name = "bundlephobia"
    subject_parts = 1
    metrics = {"min": "minified size", "minzip": "minified and gzipped size"}
    labels = {"min": "minified size", "minzip": "minzipped size"}

    def check_subject(self, subject: tuple[str, ...]) -> None:
        if len(subject) == 2 and subject[0].startswith("@"):
            return
        super().check_subject(subject)

    def _size(self, subject: tuple[str, ...], fetch: Fetcher, key: str) -> Value:
        package = "/".join(subject)
        version = fetch.ctx.args.get("shields.version")
        if version:
            package += f"@{version}"
        data = fetch.json(
            fetch.url("BUNDLEPHOBIA_URL", "/api/size"),
            params={"package": package},
            missing="package or version not found",
        )
        n = number(data, key)
        return Value(raw=n, display=display_bytes(n), color="blue", cache_seconds=3600)

    def metric_min(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._size(subject, fetch, "size")

    def metric_minzip(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._size(subject, fetch, "gzip")


class MavenCentralProvider(ApiProvider):
    """Maven Central artifacts (subject group/artifact), from maven-metadata.xml."""

    name = "maven-central"
    subject_parts = 2
    metrics = {"version": "latest version (shields.prefix keeps versions starting with it)"}
    labels = {"version": "maven-central"}

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        group, artifact = subject
        path = f"/{group.replace('.', '/')}/{artifact}/maven-metadata.xml"
        body = fetch.get(fetch.url("MAVEN_CENTRAL_URL", path), missing="artifact not found").body
        try:
            root = SafeET.fromstring(body)
        except Exception:
            raise InvalidResponse("unparseable xml response") from None
        versions = [v.text or "" for v in root.iter("version")]
        prefix = str(fetch.ctx.args.get("shields.prefix") or "")
        versions = [v for v in versions if v.startswith(prefix)]
        if not versions:
            raise NotFound("version prefix not found" if prefix else "artifact not found")
        return version_value(versions[-1])


class JsDelivrProvider(ApiProvider):
    """jsDelivr CDN hits of an npm package or GitHub repository (subject npm/name, gh/user/repo)."""

    name = "jsdelivr"
    subject_parts = 2
    metrics = {f"hits_{p}": f"hits in the last {p}" for p in ("day", "week", "month", "year")}
    labels = {metric: "jsdelivr" for metric in metrics}

    def check_subject(self, subject: tuple[str, ...]) -> None:
        if len(subject) not in (2, 3) or subject[0] not in ("npm", "gh") or not all(subject):
            raise NotFound()

    def _hits(self, subject: tuple[str, ...], fetch: Fetcher, period: str) -> Value:
        kind, name = subject[0], "/".join(subject[1:])
        path = (
            f"/v1/stats/packages/{kind}/{name}"
            if kind == "npm"
            else f"/v1/stats/packages/gh/{name}"
        )
        data = fetch.json(
            fetch.url("JSDELIVR_URL", path), params={"period": period}, missing="package not found"
        )
        return downloads_value(number(data, "hits", "total"), period)

    def metric_hits_day(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._hits(subject, fetch, "day")

    def metric_hits_week(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._hits(subject, fetch, "week")

    def metric_hits_month(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._hits(subject, fetch, "month")

    def metric_hits_year(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._hits(subject, fetch, "year")


@hookimpl
def badgeapp_providers() -> list[ApiProvider]:
    """Register the package registry providers."""
    return [
        NuGetProvider(),
        RubyGemsProvider(),
        CratesProvider(),
        PackagistProvider(),
        PubProvider(),
        HomebrewProvider(),
        CondaProvider(),
        MavenCentralProvider(),
        AurProvider(),
        CocoaPodsProvider(),
        HexProvider(),
        BundlephobiaProvider(),
        JsDelivrProvider(),
    ]
