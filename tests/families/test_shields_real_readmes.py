"""Badge URLs copied from public READMEs (img.shields.io swapped for our host) answer with the
label shields draws for them: the route's default label, or the URL's ``?label=``, upper-cased
by ``style=for-the-badge`` and capitalised by ``style=social``. The fake upstream knows every
owner and package, so each must also show a value rather than an error badge.

The URLs were found by searching public repositories for ``img.shields.io/<service>/``.
"""

from __future__ import annotations

import uuid

import defusedxml.ElementTree as SafeET
import pytest
from fake_upstream import serve_fake

ERROR_WORDS = ("not found", "invalid", "inaccessible", "internal error", "no longer available")

# (path as found in a README, with img.shields.io removed; the label shields draws)
README_URLS = [
    ("/github/contributors/ThomasRitaine/server-config.svg?style=for-the-badge", "CONTRIBUTORS"),
    ("/github/v/release/baekho-lim/bhkey", "release"),
    (
        "/github/package-json/v/AndreGraca98/version-updater"
        "?filename=version_updater%2Fversion.json&label=version-updater&logo=python"
        "&logoColor=yellow",
        "version-updater",
    ),
    (
        "/github/actions/workflow/status/emmanuelmassawe200/bank-churn-mlops/ci-cd.yml"
        "?branch=main&label=CI%2FCD&logo=github-actions",
        "CI/CD",
    ),
    ("/github/v/release/CyberNilsen/Symphex?style=for-the-badge", "RELEASE"),
    (
        "/github/contributors/JesseDolfin/co_learning_robot_personalities.svg?style=for-the-badge",
        "CONTRIBUTORS",
    ),
    ("/github/v/release/aviscaerulea/sysmeters", "release"),
    ("/github/license/yii2-extensions/nested-sets-behavior", "license"),
    ("/github/license/brsalcedom/dotfiles?logo=Github&style=flat-square", "license"),
    ("/github/stars/mohamed-abd-elkahlk/authcraft?style=social", "Stars"),
    (
        "/github/stars/alovladi007/EUREKA-Educational-Universal-Reasoning-Enhanced-Knowledge-"
        "Architecture",
        "stars",
    ),
    ("/github/stars/beclab/olares?style=social", "Stars"),
    ("/github/stars/javadev/LeetCode-in-All?label=Stars&style=flat-square", "Stars"),
    ("/github/stars/affaan-m/everything-claude-code?style=flat", "stars"),
    ("/github/stars/freddykrueger88/OpenFloorball?style=flat&label=Stars&color=f5a623", "Stars"),
    ("/github/stars/gorvgoyl/clone-wars?style=flat-square&logo=github&color=", "stars"),
    ("/github/forks/visnkmr/procproj", "forks"),
    ("/github/issues-pr/seantthakur-web/DBA-DE_pubmed_pipeline?label=open%20PRs", "open PRs"),
    ("/github/issues/orbivort/scrumooth", "issues"),
    ("/github/issues-raw/tacsio/hazelcast?color=%2331acbf", "open issues"),
    ("/github/issues/killerwy/sudoku?style=for-the-badge&logo=github", "ISSUES"),
    ("/github/issues/wkdalsgh192/evaranks.svg?style=flat-square", "issues"),
    ("/github/issues/jetkai/proxy-list?style=flat&logo=github", "issues"),
    ("/github/issues/meanie/angular-geo-locate.svg", "issues"),
    ("/github/last-commit/tuancamtbtx/airflow-example", "last commit"),
    ("/github/downloads/knight-research/KIDD/total", "downloads"),
    (
        "/github/downloads/Piotras1/piotras-smart-button/piotras-smart-button-loader.js"
        "?logo=homeassistant&color=41BDF5&displayAssetName=false",
        "downloads",
    ),
    (
        "/github/downloads/RealZST/HarnessKit/total?style=flat-square&color=blueviolet"
        "&cacheSeconds=86400",
        "downloads",
    ),
    ("/github/downloads/tomkha/nq-miner/total.svg", "downloads"),
    (
        "/github/downloads/Anvil-Dev/AnvilCraft-Skyland/total?label=Github%20downloads&logo=github",
        "Github downloads",
    ),
    (
        "/github/downloads/DogFoxX/WhazzApp/total?color=008266&label=Total%20Downloads"
        "&style=for-the-badge&labelColor=00A884",
        "TOTAL DOWNLOADS",
    ),
    (
        "/github/actions/workflow/status/mydnic/kanpen-filament-plugin/run-tests.yml"
        "?branch=main&label=tests&style=flat-square",
        "tests",
    ),
    (
        "/github/actions/workflow/status/spatie/laravel-permission/run-tests-L8.yml"
        "?branch=main&label=Tests",
        "Tests",
    ),
    ("/github/actions/workflow/status/actions/toolkit/unit-tests.yml", "build"),
    (
        "/github/actions/workflow/status/OmniLLM/OmniLauncher/ci.yml?style=flat-square&branch=main",
        "build",
    ),
    (
        "/github/actions/workflow/status/nihui/opencv-mobile/release.yml?style=for-the-badge",
        "BUILD",
    ),
    ("/github/last-commit/smashedr/vitepress-chat?logo=listenhub&label=updated", "updated"),
    ("/github/last-commit/mrdoob/three.js", "last commit"),
    ("/github/last-commit/ballerina-platform/module-ballerina-xmlutils.svg", "last commit"),
    ("/github/last-commit/ovidiutm/spendiq?style=for-the-badge", "LAST COMMIT"),
    ("/github/last-commit/INVINCIBLEYTTW/ai-chat?color=green", "last commit"),
    ("/github/contributors/knight-research/KIDD?color=dark-green", "contributors"),
    ("/pypi/v/data_downloader", "pypi"),
    ("/pypi/v/hermes-life-os", "pypi"),
    ("/pypi/pyversions/sign-language-tranlator", "python"),
    ("/pypi/v/uv.svg", "pypi"),
    ("/pypi/l/uv.svg", "license"),
    ("/pypi/v/didcomm", "pypi"),
    ("/pypi/v/otlmow-modelbuilder?label=latest%20release", "latest release"),
    ("/pypi/v/jamb?style=flat", "pypi"),
    ("/pypi/pyversions/k3fs", "python"),
    ("/pypi/v/arcade_sharepoint", "pypi"),
    ("/npm/v/patchy-cli.svg?label=version", "version"),
    ("/npm/types/@plasmicapp/loader-react", "types"),
    ("/npm/dt/lighthouse-badges?color=blue", "downloads"),
    ("/npm/v/mk-package.svg?maxAge=2592000", "npm"),
    ("/npm/v/ime-safe.svg", "npm"),
    ("/npm/v/@adocasts.com/adonisjs-honeypot.svg?style=for-the-badge&logo=npm", "NPM"),
    ("/npm/v/@stdlib/assert-is-generator-object.svg", "npm"),
    ("/npm/v/npmtest-level-store.svg?style=flat-square", "npm"),
    ("/npm/dm/coding-tool.svg?style=flat-square", "downloads"),
    (
        "/discord/1361559153780195478.svg?label=&logo=discord&logoColor=ffffff&color=7389D8"
        "&labelColor=6A7EC2",
        "",
    ),
    ("/discord/1354148209005559819", "chat"),
    ("/discord/1391832426048651334?style=flat-square&label=discord", "discord"),
    ("/discord/906925486049992755.svg?logo=discord", "chat"),
    (
        "/discord/1127171173982154893?color=5865F2&label=discord&labelColor=black&logo=discord"
        "&logoColor=white&style=flat-square",
        "discord",
    ),
    ("/codecov/c/github/DataDog/datadog-lambda-layer-js", "coverage"),
    ("/codecov/c/github/jferard/fastods/master.svg", "coverage"),
    (
        "/codecov/c/github/jina-ai/jina/master?&logo=Codecov&logoColor=white&style=flat-square",
        "coverage",
    ),
    ("/codecov/c/gh/resnext/techfinancials-api-client.svg", "coverage"),
    ("/codecov/c/github/wasi-master/rich-rst", "coverage"),
    ("/circleci/build/github/DataDog/datadog-lambda-layer-js", "build"),
    ("/docker/stars/nolte/minecraft-world-manager.svg?style=flat", "docker stars"),
    ("/docker/pulls/jellyfin/jellyfin.svg", "docker pulls"),
    (
        "/docker/pulls/vinkius/bannerbear-image-gen-mcp?style=for-the-badge&logo=docker"
        "&color=2496ed",
        "DOCKER PULLS",
    ),
    (
        "/docker/v/adityapatra/youtube-downloader/latest?color=2496ED&logo=docker"
        "&style=for-the-badge&label=Docker+Hub",
        "DOCKER HUB",
    ),
    ("/docker/v/arthurknoep/sniffer", "version"),
    ("/docker/image-size/aceberg/node-bootstrap", "image size"),
    ("/docker/pulls/calico/node.svg", "docker pulls"),
    ("/crates/v/ipmpsc", "crates.io"),
    ("/crates/v/m1nd-mcp.svg?label=crates.io", "crates.io"),
    ("/crates/v/nafcodec-py.svg?maxAge=600&style=flat-square", "crates.io"),
    ("/nuget/v/plugin.firebase.cloud_messaging.svg?maxAge=86400&style=flat", "nuget"),
    ("/nuget/vpre/CsvToolkit.Core.svg", "nuget"),
    ("/nuget/dt/Zongsoft.Discussions", "downloads"),
    ("/nuget/v/soenneker.extensions.datetime.week.svg?style=for-the-badge", "NUGET"),
    ("/nuget/vpre/Jering.WebUtils.SyntaxHighlighters.HighlightJS.svg?label=nuget", "nuget"),
    ("/packagist/v/marshmallow/button-field", "packagist"),
    ("/twitter/follow/nestframework.svg?style=social&label=Follow", "Follow"),
    ("/twitter/follow/webbprotocol.svg?style=flat-square&label=Twitter&color=1DA1F2", "Twitter"),
    ("/twitter/follow/pdiscoveryio.svg?logo=twitter", "Follow @pdiscoveryio"),
    ("/twitter/follow/juicetin?style=social", "Follow @juicetin"),
    (
        "/twitter/follow/dbt_labs?labelColor=image.png&color=163B36&logo=twitter&style=flat",
        "follow @dbt_labs",
    ),
    ("/twitter/follow/CodePapa360?style=for-the-badge&logo=x", "FOLLOW @CODEPAPA360"),
    (
        "/twitter/follow/binaryriot?color=blue&label=Follow%20%40binaryriot&style=flat",
        "Follow @binaryriot",
    ),
    ("/appveyor/ci/eloquent/phony-kahlan/master.svg?label=windows&style=flat-square", "windows"),
    ("/appveyor/build/DIG-/python-ini-editor/master?logo=appveyor&logoColor=dddddd", "build"),
    ("/appveyor/ci/batzen/snoopwpf.svg?style=flat-square&&label=master", "master"),
    ("/appveyor/build/kegi/concrete-form?style=flat-square", "build"),
    ("/appveyor/ci/dougwilson/generator/master.svg?label=windows", "windows"),
    ("/appveyor/ci/atomashpolskiy/bt/master.svg?label=Windows%20build", "Windows build"),
    ("/appveyor/ci/clarus/redux-ship.svg?label=app-veyor", "app-veyor"),
    ("/github/commit-activity/m/marcpage/devops-driver?style=plastic", "commit activity"),
    ("/github/commit-activity/w/jetkai/proxy-list?style=flat&logo=github", "commit activity"),
    ("/github/commit-activity/y/inftkm/anything-nft", "commit activity"),
    (
        "/github/commit-activity/m/TracecatHQ/tracecat?style=for-the-badge&logo=github",
        "COMMIT ACTIVITY",
    ),
    ("/github/commit-activity/w/SamuelFolledo/StringsUtility?color=green", "commit activity"),
    ("/github/repo-size/crimsontome/crimsontome-blog", "repo size"),
]

# retired services found in the same READMEs: shields' label, its deprecation message
RETIRED_URLS = [
    ("/docker/cloud/automated/jestefane/php-dev", "docker build"),
    ("/travis/com/climax/core/master?style=flat-square", "build"),
    ("/travis/ccguyka/show-updates-maven-plugin.svg?style=flat-square", "build"),
    ("/travis/jlaine/aiortc.svg", "build"),
    ("/travis/marvinborner/Melvix?style=for-the-badge", "BUILD"),
    ("/travis/com/voorhoede/vuepress-paper/master.svg?style=flat-square", "build"),
]


@pytest.fixture(scope="module")
def client(make_module_app):
    with serve_fake() as fake:
        app = make_module_app(**fake.config(), REDIS_PREFIX=f"real-{uuid.uuid4().hex[:8]}:")
        yield app.test_client()


def drawn(client, path: str) -> tuple[str, str, int]:
    response = client.get(path)
    assert response.mimetype == "image/svg+xml", (path, response.status_code)
    aria = SafeET.fromstring(response.data).get("aria-label")
    label, sep, message = aria.partition(": ")
    return (label, message, response.status_code) if sep else ("", aria, response.status_code)


@pytest.mark.parametrize(("path", "label"), README_URLS)
def test_real_readme_url_draws_shields_label_and_a_value(client, path, label):
    got_label, message, status = drawn(client, path)
    assert (got_label, status) == (label, 200), path
    assert not any(message.lower().endswith(word) for word in ERROR_WORDS), (path, message)


@pytest.mark.parametrize(("path", "label"), RETIRED_URLS)
def test_real_readme_url_of_a_retired_service(client, path, label):
    got_label, message, status = drawn(client, path)
    assert (got_label, message.lower(), status) == (label, "no longer available", 200)
