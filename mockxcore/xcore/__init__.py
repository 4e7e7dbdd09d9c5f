"""The repository ("xcore") API: domain rules, HAL rendering, media types and HTTP handlers."""
