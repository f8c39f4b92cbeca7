from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sankore.accounts"
    label = "accounts"
