from django.urls import path

from sankore.syndication.oai.views import oai_endpoint

app_name = "oai"
urlpatterns = [path("", oai_endpoint, name="endpoint")]
