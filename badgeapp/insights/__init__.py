"""Repository insights beyond single numbers: the commit heatmap (the insight badges themselves
are metrics of the github provider, see ``badgeapp.providers.github_insights``)."""
