"""Shields' retired routes: they answer shields' deprecation badge (``no longer available``).

A README that still embeds ``/travis/...`` or ``/david/...`` gets the same grey badge shields
draws, under the label the live badge had, never a 404.
"""

from __future__ import annotations

from badgeapp.errors import Deprecated
from badgeapp.providers.base import Value

from .routes import Call, Route

#: (pattern, label, example): services shields retired (core/base-service/deprecated-service)
RETIRED = (
    ("github/workflow/status/:rest+", "build", "/github/workflow/status/pallets/flask/Tests"),
    ("travis/:rest+", "build", "/travis/pallets/flask"),
    ("travis-ci/:rest+", "build", "/travis-ci/pallets/flask"),
    ("david/:rest+", "dependencies", "/david/expressjs/express"),
    ("docker/cloud/:rest+", "docker build", "/docker/cloud/build/jestefane/php-dev"),
    ("docker/automated/:rest+", "docker build", "/docker/automated/jestefane/php-dev"),
    ("docker/build/:rest+", "docker build", "/docker/build/jestefane/php-dev"),
    ("requires/:rest+", "requirements", "/requires/github/pallets/flask"),
    ("dependabot/:rest+", "dependabot", "/dependabot/semver/bundler/puma"),
    ("gemnasium/:rest+", "dependencies", "/gemnasium/mathiasbynens/he"),
    ("lgtm/:rest+", "lgtm", "/lgtm/alerts/g/apache/cloudstack"),
    ("bountysource/:rest+", "bounties", "/bountysource/team/mochajs/activity"),
    ("cauditor/:rest+", "cauditor", "/cauditor/mi/matthiasmullie/scrapbook/master"),
    ("dockbit/:rest+", "deploy", "/dockbit/DockbitStatus/health"),
    ("magnumci/:rest+", "build", "/magnumci/ci/96ffb83fa700f069024921b0702e76ff"),
    ("imagelayers/:rest+", "image size", "/imagelayers/image-size/_/ubuntu/latest"),
    ("microbadger/:rest+", "image", "/microbadger/image-size/_/ubuntu"),
    ("issuestats/:rest+", "issue stats", "/issuestats/i/github/expressjs/express"),
    ("snap-ci/:rest+", "build", "/snap-ci/ThoughtWorksStudios/eb_deployer/master"),
    ("gratipay/:rest+", "gratipay", "/gratipay/project/shields"),
    ("bithound/:rest+", "bithound", "/bithound/code/github/rexxars/sse-channel"),
    ("versioneye/:rest+", "dependencies", "/versioneye/d/ruby/rails"),
    ("codetally/:rest+", "codetally", "/codetally/triggerman722/colorstrap"),
    ("bintray/:rest+", "bintray", "/bintray/v/asciidoctor/maven/asciidoctorj"),
    ("beerpay/:rest+", "beerpay", "/beerpay/hashdog/scrapfy-chrome-extension"),
    ("shippable/:rest+", "build", "/shippable/5444c5ecb904a4b21567b0ff"),
    ("wercker/:rest+", "build", "/wercker/ci/wercker/docs"),
    ("libscore/:rest+", "libscore", "/libscore/s/jQuery"),
    ("nsp/:rest+", "nsp", "/nsp/npm/bread-scan"),
    ("continuousphp/:rest+", "build", "/continuousphp/git-hub/doctrine/dbal/master"),
)


def _retired(p: dict[str, str], call: Call) -> Value:
    raise Deprecated()


ROUTES = tuple(Route(pattern, label, _retired, example) for pattern, label, example in RETIRED)
