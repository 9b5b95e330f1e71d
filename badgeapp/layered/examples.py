"""The product spec's example requests, shared by the tests, the benchmark and the README."""

from __future__ import annotations

from typing import Any

#: "Complete Example" of the badge generator spec, verbatim
COMPLETE_EXAMPLE: dict[str, Any] = {
    "canvas": {"bg": "white", "scale_factor": 1},
    "layers": [
        {"type": "BackgroundLayer", "mode": "solid", "color": "#FFFFFF", "z": 0},
        {
            "type": "ShapeLayer",
            "shape": "hexagon",
            "fill": {
                "mode": "gradient",
                "start_color": "#FFD700",
                "end_color": "#FF4500",
                "vertical": True,
            },
            "params": {"radius": 250},
            "z": 10,
        },
        {
            "type": "ImageLayer",
            "path": "icons/star.png",
            "size": {"dynamic": True, "max_width": 100, "max_height": 100},
            "position": {"x": "center", "y": 100},
            "opacity": 0.9,
            "z": 20,
        },
        {
            "type": "TextLayer",
            "text": "Achievement",
            "font": {"path": "/System/Library/Fonts/Arial.ttf", "size": 48},
            "color": "#FFFFFF",
            "align": {"x": "center", "y": "center"},
            "z": 30,
        },
        {
            "type": "TextLayer",
            "text": "Badge Earned",
            "font": {"path": "/System/Library/Fonts/Arial.ttf", "size": 24},
            "color": "#FFFFFF",
            "align": {"x": "center", "y": 400},
            "z": 31,
        },
    ],
}
