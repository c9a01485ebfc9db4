package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalModelValidationTest {
  private static List<String> errors(String yaml) {
    return Validator.validate(Fixtures.yaml(yaml), KnownResources.ANY);
  }

  private static final String GROUP =
      """
      apiVersion: serving.kserve.io/v1alpha1
      kind: LocalModelNodeGroup
      metadata: {name: workers}
      spec:
        storageLimit: 1.7T
        persistentVolumeClaimSpec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1700G}}
          storageClassName: local-storage
        persistentVolumeSpec:
          accessModes: [ReadWriteOnce]
          capacity: {storage: 1700G}
          local: {path: /models}
          nodeAffinity:
            required:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: nvidia.com/gpu-product, operator: In, values: [NVIDIA-A100-SXM4-80GB]}
      """;

  @Test
  void acceptsKServesNodeGroupSample() {
    assertThat(errors(GROUP)).isEmpty();
  }

  @Test
  void rejectsANodeGroupWithoutItsVolumeNamingTheFields() {
    assertThat(
            errors(
                "apiVersion: serving.kserve.io/v1alpha1\nkind: LocalModelNodeGroup\n"
                    + "metadata: {name: g}\nspec: {storageLimit: 10Gi}\n"))
        .containsExactly(
            "spec.persistentVolumeSpec: required (the node-local volume models are cached on)",
            "spec.persistentVolumeClaimSpec: required");
  }

  @Test
  void rejectsACacheWithAnUnknownSchemeAndANonPositiveSize() {
    assertThat(
            errors(
                "apiVersion: serving.kserve.io/v1alpha1\nkind: LocalModelCache\n"
                    + "metadata: {name: c}\nspec: {sourceModelUri: 'ftp://x/m', modelSize: 0,"
                    + " nodeGroups: [workers]}\n"))
        .anyMatch(e -> e.startsWith("spec.sourceModelUri: unsupported scheme 'ftp'"))
        .contains("spec.modelSize: must be positive, got 0");
  }

  @Test
  void rejectsANodeModelWithoutNameOrUri() {
    assertThat(
            errors(
                "apiVersion: serving.kserve.io/v1alpha1\nkind: LocalModelNode\n"
                    + "metadata: {name: node-1}\nspec: {localModels: [{modelName: m}]}\n"))
        .containsExactly("spec.localModels[0].sourceModelUri: required");
  }

  @Test
  void rejectsANodeModelNameThatIsNoFolderName() {
    assertThat(
            errors(
                "apiVersion: serving.kserve.io/v1alpha1\nkind: LocalModelNode\n"
                    + "metadata: {name: node-1}\nspec: {localModels:"
                    + " [{modelName: ../etc, sourceModelUri: 's3://b/m'}]}\n"))
        .singleElement()
        .asString()
        .startsWith("spec.localModels[0].modelName: must be a DNS-1123 subdomain");
  }

  @Test
  void everyModelCacheKindHasCommandLineNames() {
    assertThat(ResourceKind.fromName("localmodelnodegroups"))
        .isEqualTo(ResourceKind.LOCAL_MODEL_NODE_GROUP);
    assertThat(ResourceKind.fromName("LocalModelNode")).isEqualTo(ResourceKind.LOCAL_MODEL_NODE);
  }
}
