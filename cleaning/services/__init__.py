"""The cleaning app's operations, one module per concept (``services.waste``,
``services.greening`` …): atomic, explicit arguments, called by views, tasks and tests."""
