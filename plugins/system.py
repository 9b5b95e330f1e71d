"""Example drop-in plugin: this host's CPU, memory and disk usage.

Served at ``/v2/badge/plugin/system/cpu`` (and ``memory``, ``disk``). A drop-in plugin is any
``plugins/NAME.py`` defining ``get_metric(metric) -> str`` (plain or async); edit this file
while the server runs and the next request after a second uses the new code.
"""

import psutil

__version__ = "1.0"

METRICS = {
    "cpu": "CPU utilisation of the host, percent",
    "memory": "Memory in use, percent",
    "disk": "Disk space in use on /, percent",
}


async def get_metric(metric: str) -> str:
    if metric == "cpu":
        return f"{psutil.cpu_percent(interval=0.1):.0f}%"
    if metric == "memory":
        return f"{psutil.virtual_memory().percent:.0f}%"
    if metric == "disk":
        return f"{psutil.disk_usage('/').percent:.0f}%"
    raise KeyError(metric)
